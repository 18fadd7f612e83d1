#include "train/mixed_stream.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"
#include "core/parse_number.hpp"

namespace emlab::train {

namespace {

constexpr std::string_view kTag = "mixed ";

// Reads "<bytes>\n<that many bytes>" at `pos` and moves past it.
std::string take_sized(const std::string& state, size_t& pos) {
  const size_t newline = state.find('\n', pos);
  require(newline != std::string::npos, "mixed stream state: a length is missing");
  const int64_t bytes = parse_integer(std::string_view(state).substr(pos, newline - pos),
                                      "mixed stream state: a length");
  require(bytes >= 0 && newline + 1 + static_cast<size_t>(bytes) <= state.size(),
          "mixed stream state: a length that does not fit the state");
  pos = newline + 1 + static_cast<size_t>(bytes);
  return state.substr(newline + 1, static_cast<size_t>(bytes));
}

}  // namespace

MixedStream::MixedStream(std::unique_ptr<TokenStream> first, std::unique_ptr<TokenStream> second,
                         double share, uint64_t seed)
    : first_(std::move(first)), second_(std::move(second)), share_(share), rng_(seed) {
  require(first_ && second_, "mixed stream: needs two streams");
  require(share_ > 0 && share_ < 1, "mixed stream: the share must be in (0, 1) (got {})", share_);
}

int MixedStream::vocab_size() const {
  return std::max(first_->vocab_size(), second_->vocab_size());
}

void MixedStream::next_batch(int B, int T, int32_t* tokens, int32_t* targets) {
  for (int b = 0; b < B; ++b) {
    TokenStream& from = rng_.uniform() < share_ ? *second_ : *first_;
    from.next_batch(1, T, tokens + static_cast<ptrdiff_t>(b) * T,
                    targets + static_cast<ptrdiff_t>(b) * T);
  }
}

std::string MixedStream::save_state() const {
  const std::string first = first_->save_state(), second = second_->save_state();
  return fmt::format("{}{}\n{}\n{}{}\n{}", kTag, rng_.state_string(), first.size(), first,
                     second.size(), second);
}

void MixedStream::restore_state(const std::string& state) {
  require(state.starts_with(kTag),
          "mixed stream state: expected \"mixed <generator>\" (a checkpoint of a text + task "
          "mixture)");
  const size_t newline = state.find('\n');
  require(newline != std::string::npos, "mixed stream state: the generator line is missing");
  const auto generator = Rng::parse_state(state.substr(kTag.size(), newline - kTag.size()));
  size_t pos = newline + 1;
  const std::string first = take_sized(state, pos);
  const std::string second = take_sized(state, pos);
  require(pos == state.size(), "mixed stream state: {} bytes after the second stream's state",
          state.size() - pos);
  first_->restore_state(first);
  second_->restore_state(second);
  rng_.set_state(generator);
}

std::string MixedStream::describe() const {
  return fmt::format("{} with {:g}% of rows from {}", first_->describe(), 100 * share_,
                     second_->describe());
}

}  // namespace emlab::train
