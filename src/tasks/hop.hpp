#pragma once
// hop_k of Sanford, Hsu & Telgarsky (2024): a random letter string with no two equal neighbours;
// from the last position, one hop goes to the last earlier occurrence of the current letter and
// moves one step right; the answer is the letter reached after k hops. "x1..xn?k=" -> letter.
// Strings where a hop finds no earlier occurrence are redrawn, so every answer is a letter. One
// answer per string; train/hop_stream.hpp labels every position instead (the depth studies).
#include "tasks/task.hpp"

namespace emlab::tasks {

class HopTask final : public Task {
 public:
  // Parameters: length (of the string), letters (2-26), k (hops, 0 = the last letter itself).
  explicit HopTask(ParamReader& params);
  std::optional<double> chance_exact_match() const override { return 1.0 / letters_; }

 protected:
  Example draw(Rng& rng, bool for_test) const override;

 private:
  // The answer's position after k hops, or -1 when a hop has nowhere to go.
  int hop_target(const std::vector<int>& letters) const;
  int length_, letters_, k_;
};

}  // namespace emlab::tasks
