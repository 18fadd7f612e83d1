#include "train/synthetic_streams.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace emlab::train {

CopyStream::CopyStream(int vocab, int span, uint64_t seed)
    : vocab_(vocab), span_(span), rng_(seed) {
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

void CopyStream::restore_state(const std::string& state) {
  rng_.set_state(Rng::parse_state(state));
}

std::string CopyStream::describe() const {
  return fmt::format("copy(span={}, vocab={})", span_, vocab_);
}

CountingStream::CountingStream(int vocab, uint64_t seed) : vocab_(vocab), rng_(seed) {
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

void CountingStream::restore_state(const std::string& state) {
  rng_.set_state(Rng::parse_state(state));
}

std::string CountingStream::describe() const {
  return fmt::format("counting(vocab={})", vocab_);
}

std::unique_ptr<TokenStream> make_synthetic_stream(const StreamConfig& config, int vocab,
                                                   uint64_t seed) {
  if (config.task == "copy") {
    return std::make_unique<CopyStream>(vocab, config.span, seed);
  }
  if (config.task == "counting") return std::make_unique<CountingStream>(vocab, seed);
  fail("data.task: unknown task '{}' (built-in streams: copy, counting)", config.task);
}

}  // namespace emlab::train
