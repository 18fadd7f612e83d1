#include "train/hop_stream.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "core/error.hpp"

namespace emlab::train {

std::vector<int> random_hop_string(Rng& rng, int length, int letters) {
  std::vector<int> s(static_cast<size_t>(length));
  for (size_t i = 0; i < s.size(); ++i) {
    if (i == 0) {
      s[i] = static_cast<int>(rng.below(static_cast<uint64_t>(letters)));
    } else {  // uniform over the letters other than the previous one
      const int r = static_cast<int>(rng.below(static_cast<uint64_t>(letters - 1)));
      s[i] = r >= s[i - 1] ? r + 1 : r;
    }
  }
  return s;
}

std::vector<int> hop_positions(const std::vector<int>& s, int k) {
  if (s.empty()) return {};
  // previous[i]: the last j < i with s[j] == s[i], from one left-to-right pass.
  std::vector<int> previous(s.size());
  std::vector<int> last(static_cast<size_t>(*std::max_element(s.begin(), s.end()) + 1), -1);
  for (size_t i = 0; i < s.size(); ++i) {
    previous[i] = last[static_cast<size_t>(s[i])];
    last[static_cast<size_t>(s[i])] = static_cast<int>(i);
  }
  std::vector<int> at(s.size());
  std::iota(at.begin(), at.end(), 0);
  for (int hop = 0; hop < k; ++hop)
    for (int& p : at)
      if (p >= 0)
        p = previous[static_cast<size_t>(p)] < 0 ? -1 : previous[static_cast<size_t>(p)] + 1;
  return at;
}

HopStream::HopStream(int vocab, int letters, int max_hops, uint64_t seed)
    : SeededStream(seed), letters_(letters), max_hops_(max_hops) {
  require(letters >= 2 && letters <= 26, "data.letters: must be from 2 to 26 (got {})", letters);
  require(max_hops >= 0 && max_hops <= kMaxHops, "data.hops: must be from 0 to {} (got {})",
          kMaxHops, max_hops);
  require(vocab >= letters + max_hops + 1,
          "data.task = hops: {} letters and one token per k = 0..{} need model.vocab_size >= {} "
          "(got {})",
          letters, max_hops, letters + max_hops + 1, vocab);
}

void HopStream::next_batch(int B, int T, int32_t* tokens, int32_t* targets) {
  for (int b = 0; b < B; ++b) {
    const int k = static_cast<int>(rng_.below(static_cast<uint64_t>(max_hops_ + 1)));
    string_ = random_hop_string(rng_, T - 1, letters_);
    int32_t* row = tokens + static_cast<ptrdiff_t>(b) * T;
    for (int j = 1; j < T; ++j) row[j] = string_[static_cast<size_t>(j - 1)];
    ask_hops(k, T, row, targets + static_cast<ptrdiff_t>(b) * T);
  }
}

void HopStream::ask_hops(int k, int T, int32_t* tokens, int32_t* targets) const {
  require(k >= 0 && k <= max_hops_, "hop stream: k = {} outside 0..{}", k, max_hops_);
  tokens[0] = letters_ + k;
  targets[0] = -1;
  const std::vector<int> s(tokens + 1, tokens + T);
  const std::vector<int> reached = hop_positions(s, k);
  for (int j = 1; j < T; ++j) {
    const int p = reached[static_cast<size_t>(j - 1)];
    targets[j] = p < 0 ? -1 : s[static_cast<size_t>(p)];
  }
}

std::string HopStream::describe() const {
  return fmt::format("hops(letters={}, k=0..{})", letters_, max_hops_);
}

}  // namespace emlab::train
