#pragma once
// n-digit addition, subtraction and multiplication: "a+b=" -> the result. Both operands have
// exactly n digits (0-9 when n = 1); subtraction orders them so the result is non-negative.
// Options: the answer written least-significant digit first (reverse), and a scratchpad that
// writes out the intermediate steps before "|" and the answer (see docs/tasks.md).
#include <vector>

#include "tasks/task.hpp"

namespace emlab::tasks {

enum class ArithmeticOp { kAdd, kSub, kMul };

class ArithmeticTask final : public Task {
 public:
  static constexpr int kMaxDigits = 18;  // products of 18-digit numbers fit in 128 bits

  // name: "add", "sub" or "mul". Parameters: digits, reverse, scratchpad.
  ArithmeticTask(ArithmeticOp op, ParamReader& params);

  ArithmeticOp op() const { return op_; }
  int digits() const { return digits_; }
  // A scratchpad's steps end at "|": only the result after it is judged.
  std::optional<int32_t> answer_separator() const override;

 protected:
  Example draw(Rng& rng, bool for_test) const override;

 private:
  ArithmeticOp op_;
  int digits_;
  bool reverse_, scratchpad_;
};

const char* to_string(ArithmeticOp op);

// Digit-vector arithmetic (least significant digit first), shared with the composed tasks.
using Digits = std::vector<int>;
Digits random_operand(Rng& rng, int digits);
std::vector<int32_t> digits_to_tokens(const Digits& lsb_first);  // most significant first

}  // namespace emlab::tasks
