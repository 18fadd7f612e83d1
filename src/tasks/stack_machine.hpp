#pragma once
// An inherently binary task: a tiny stack-machine program "PUSH 3 PUSH 4 * DUP + =" whose answer
// is the value left on top of the stack (modulo `modulus`). A wrong value is simply wrong (no
// partial credit is meaningful), and answers are judged by running the program.
//
// Instructions: PUSH d (d = 0-9), + (ADD), * (MUL), DUP, SWAP, POP. Arithmetic is modulo
// `modulus`; generated programs never underflow and never leave the stack empty.
#include <optional>
#include <span>

#include "tasks/task.hpp"

namespace emlab::tasks {

// The top of the stack after running `program` (tokens up to an optional "="), or nullopt when
// the program is malformed: an unknown token, PUSH without a digit, underflow, an empty stack.
std::optional<int> run_stack_program(std::span<const int32_t> program, int modulus);

class StackTask final : public Task {
 public:
  // Parameters: length (instructions), modulus (2-1000), max_depth (stack limit, 2-16).
  explicit StackTask(ParamReader& params);
  std::optional<double> chance_exact_match() const override { return 1.0 / modulus_; }
  // Runs the prompt's program and compares its value with the output.
  bool is_correct(const Example& example, std::span<const int32_t> output) const override;
  int modulus() const { return modulus_; }

 protected:
  Example draw(Rng& rng, bool for_test) const override;

 private:
  int length_, modulus_, max_depth_;
};

}  // namespace emlab::tasks
