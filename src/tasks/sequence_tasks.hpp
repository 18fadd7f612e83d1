#pragma once
// Tasks over plain sequences: in-context copying (induction-head data) and reversal.
#include "tasks/task.hpp"

namespace emlab::tasks {

// "x1..xL|" -> "x1..xL" repeated (repeats - 1) times, copies separated by "|". The symbols are
// random letters, so only the earlier copy in context predicts the answer (Olsson et al. 2022).
// Parameters: length, symbols (letters used, 2-26), repeats (copies in all, the first in the
// prompt).
class CopyTask final : public Task {
 public:
  explicit CopyTask(ParamReader& params);
  std::optional<double> chance_exact_match() const override;

 protected:
  Example draw(Rng& rng, bool for_test) const override;

 private:
  int length_, symbols_, repeats_;
};

// "~d1..dn=" -> "dn..d1": the digits in reverse order. Parameter: digits.
class ReverseTask final : public Task {
 public:
  explicit ReverseTask(ParamReader& params);
  std::optional<double> chance_exact_match() const override;

 protected:
  Example draw(Rng& rng, bool for_test) const override;

 private:
  int digits_;
};

}  // namespace emlab::tasks
