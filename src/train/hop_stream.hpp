#pragma once
// hop_k of Sanford, Hsu & Telgarsky (2024, arXiv:2402.09268) with a label at every position, as
// they train it: a random letter string with no two equal neighbours; one hop from a position
// goes to the previous occurrence of its letter and moves one step right; the label of a position
// is the letter reached after k hops from it. Each row asks for one k, given by its first token,
// so one model learns every k and each k is judged on the same strings.
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "train/synthetic_streams.hpp"

namespace emlab::train {

// A string of `length` letters 0..letters-1, uniform, with no letter equal to its left neighbour
// (so every hop moves at least one position left).
std::vector<int> random_hop_string(Rng& rng, int length, int letters);

// For every position of `s`, the position reached after k hops (k = 0: itself); -1 where a hop
// finds no earlier occurrence of its letter.
std::vector<int> hop_positions(const std::vector<int>& s, int k);

// Rows "K s1 s2 ... s(T-1)": K is the token letters + k of the row's k (uniform over
// 0..max_hops), the letters are tokens 0..letters-1, and the target at s_i is the letter reached
// after k hops from i; the K position and positions whose hops run off the start are unscored.
class HopStream final : public SeededStream {
 public:
  static constexpr int kMaxHops = 16;
  HopStream(int vocab, int letters, int max_hops, uint64_t seed);
  int vocab_size() const override { return letters_ + max_hops_ + 1; }
  void next_batch(int B, int T, int32_t* tokens, int32_t* targets) override;
  std::string describe() const override;

  int max_hops() const { return max_hops_; }
  // Turns one row of this stream (T tokens and targets) into the question for k hops about the
  // same string: how the hop probe scores every k on the same held-out strings.
  void ask_hops(int k, int T, int32_t* tokens, int32_t* targets) const;

 private:
  int letters_, max_hops_;
  std::vector<int> string_;
};

}  // namespace emlab::train
