#include "train/synthetic_streams.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "train/hop_stream.hpp"

namespace emlab::train {

void SeededStream::restore_state(const std::string& state) {
  rng_.set_state(Rng::parse_state(state));
}

CopyStream::CopyStream(int vocab, int span, uint64_t seed)
    : SeededStream(seed), vocab_(vocab), span_(span) {
  require(vocab >= 3, "data.task = copy: needs model.vocab_size >= 3 (got {})", vocab);
  require(span >= 1, "data.span: must be at least 1 (got {})", span);
  symbols_.resize(static_cast<size_t>(span));
}

void CopyStream::next_batch(int B, int T, int32_t* tokens, int32_t* targets) {
  const int sep = vocab_ - 1;
  const int episode = 2 * span_ + 2;
  for (int b = 0; b < B; ++b) {
    // Build T+1 tokens of whole episodes; position j predicts j+1.
    const int k = span_;
    for (int j = 0; j <= T; ++j) {
      const int e = j % episode;
      if (e == 0)
        for (int i = 0; i < k; ++i)
          symbols_[static_cast<size_t>(i)] =
              static_cast<int32_t>(rng_.below(static_cast<uint64_t>(vocab_ - 1)));
      int32_t tok;
      if (e < k)
        tok = symbols_[static_cast<size_t>(e)];
      else if (e == k || e == episode - 1)
        tok = sep;
      else
        tok = symbols_[static_cast<size_t>(e - k - 1)];
      if (j < T) tokens[b * T + j] = tok;
      // The token at j is predictable from the context iff it is a separator or in the copy.
      if (j > 0) targets[b * T + j - 1] = (e >= k) ? tok : -1;
    }
  }
}

std::string CopyStream::describe() const {
  return fmt::format("copy(span={}, vocab={})", span_, vocab_);
}

CountingStream::CountingStream(int vocab, uint64_t seed) : SeededStream(seed), vocab_(vocab) {
  require(vocab >= 2, "data.task = counting: needs model.vocab_size >= 2 (got {})", vocab);
}

void CountingStream::next_batch(int B, int T, int32_t* tokens, int32_t* targets) {
  for (int b = 0; b < B; ++b) {
    const auto start = static_cast<int32_t>(rng_.below(static_cast<uint64_t>(vocab_)));
    for (int j = 0; j < T; ++j) {
      tokens[b * T + j] = (start + j) % vocab_;
      targets[b * T + j] = (start + j + 1) % vocab_;
    }
  }
}

std::string CountingStream::describe() const {
  return fmt::format("counting(vocab={})", vocab_);
}

RepeatedSpansStream::RepeatedSpansStream(int vocab, int max_span, uint64_t seed)
    : SeededStream(seed), vocab_(vocab), max_span_(max_span) {
  require(vocab >= 4, "data.task = repeats: needs model.vocab_size >= 4 (got {})", vocab);
  require(max_span >= 2, "data.span: the longest repeated span must be at least 2 (got {})",
          max_span);
}

void RepeatedSpansStream::next_batch(int B, int T, int32_t* tokens, int32_t* targets) {
  auto draw = [&](int n) { return static_cast<int>(rng_.below(static_cast<uint64_t>(n))); };
  for (int b = 0; b < B; ++b) {
    row_.clear();
    while (static_cast<int>(row_.size()) < T + 1) {
      const int length = 2 + draw(max_span_ - 1);  // 2..max_span
      const int have = static_cast<int>(row_.size());
      if (have >= length && draw(2) == 0) {
        const int from = draw(have - length + 1);
        for (int i = 0; i < length; ++i) row_.push_back(row_[static_cast<size_t>(from + i)]);
      } else {
        for (int i = 0; i < length; ++i) row_.push_back(draw(vocab_));
      }
    }
    for (int j = 0; j < T; ++j) {
      tokens[b * T + j] = row_[static_cast<size_t>(j)];
      targets[b * T + j] = row_[static_cast<size_t>(j + 1)];
    }
  }
}

std::string RepeatedSpansStream::describe() const {
  return fmt::format("repeats(span={}, vocab={})", max_span_, vocab_);
}

MarkovStream::MarkovStream(int vocab, int successors, uint64_t seed)
    : SeededStream(seed), vocab_(vocab), successors_(successors) {
  require(vocab >= 2, "data.task = markov: needs model.vocab_size >= 2 (got {})", vocab);
  require(successors >= 1 && successors <= vocab,
          "data.successors: must be from 1 to model.vocab_size = {} (got {})", vocab, successors);
  order_.resize(static_cast<size_t>(vocab));
  next_.resize(static_cast<size_t>(vocab) * static_cast<size_t>(successors));
}

void MarkovStream::next_batch(int B, int T, int32_t* tokens, int32_t* targets) {
  auto draw = [&](int n) { return static_cast<int>(rng_.below(static_cast<uint64_t>(n))); };
  for (int b = 0; b < B; ++b) {
    // This row's chain: for each state, the first `successors` of a partial shuffle.
    for (int state = 0; state < vocab_; ++state) {
      for (int i = 0; i < vocab_; ++i) order_[static_cast<size_t>(i)] = i;
      for (int i = 0; i < successors_; ++i) {
        std::swap(order_[static_cast<size_t>(i)],
                  order_[static_cast<size_t>(i + draw(vocab_ - i))]);
        next_[static_cast<size_t>(state * successors_ + i)] = order_[static_cast<size_t>(i)];
      }
    }
    int32_t current = draw(vocab_);
    for (int j = 0; j < T; ++j) {
      const int32_t following =
          next_[static_cast<size_t>(current * successors_ + draw(successors_))];
      tokens[b * T + j] = current;
      targets[b * T + j] = following;
      current = following;
    }
  }
}

std::string MarkovStream::describe() const {
  return fmt::format("markov(successors={}, vocab={})", successors_, vocab_);
}

std::unique_ptr<TokenStream> make_synthetic_stream(const StreamConfig& config, int vocab,
                                                   uint64_t seed) {
  if (config.task == "copy") {
    return std::make_unique<CopyStream>(vocab, config.span, seed);
  }
  if (config.task == "counting") return std::make_unique<CountingStream>(vocab, seed);
  if (config.task == "repeats")
    return std::make_unique<RepeatedSpansStream>(vocab, config.span, seed);
  if (config.task == "markov")
    return std::make_unique<MarkovStream>(vocab, config.successors, seed);
  if (config.task == "hops")
    return std::make_unique<HopStream>(vocab, config.letters, config.hops, seed);
  fail("data.task: unknown task '{}' (built-in streams: copy, counting, repeats, markov, hops)",
       config.task);
}

}  // namespace emlab::train
