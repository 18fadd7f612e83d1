#include "tasks/stack_machine.hpp"

#include <algorithm>
#include <vector>

#include "tasks/alphabet.hpp"

namespace emlab::tasks {

std::optional<int> run_stack_program(std::span<const int32_t> program, int modulus) {
  std::vector<int> stack;
  for (size_t i = 0; i < program.size() && program[i] != tok::kEquals; ++i) {
    const int32_t t = program[i];
    const size_t n = stack.size();
    if (t == tok::kPush) {
      if (i + 1 >= program.size() || !is_digit_token(program[i + 1])) return std::nullopt;
      stack.push_back(digit_value(program[++i]) % modulus);
    } else if (t == tok::kDup) {
      if (n < 1) return std::nullopt;
      stack.push_back(stack.back());
    } else if (t == tok::kPlus || t == tok::kTimes || t == tok::kSwap || t == tok::kPop) {
      if (n < 2) return std::nullopt;
      const int top = stack[n - 1], below = stack[n - 2];
      if (t == tok::kSwap) {
        std::swap(stack[n - 1], stack[n - 2]);
      } else if (t == tok::kPop) {
        stack.pop_back();
      } else {
        stack.pop_back();
        stack.back() = t == tok::kPlus ? (below + top) % modulus : (below * top) % modulus;
      }
    } else {
      return std::nullopt;
    }
  }
  if (stack.empty()) return std::nullopt;
  return stack.back();
}

StackTask::StackTask(ParamReader& params) : Task("stack") {
  length_ = params.integer32("length", 6, 1, 128);
  modulus_ = params.integer32("modulus", 10, 2, 1000);
  max_depth_ = params.integer32("max_depth", 4, 2, 16);
  configure(params);
}

Example StackTask::draw(Rng& rng, bool) const {
  std::vector<int32_t> program;
  std::vector<int> stack;
  std::vector<int32_t> allowed;
  for (int i = 0; i < length_; ++i) {
    const int depth = static_cast<int>(stack.size());
    allowed.clear();
    if (depth < max_depth_) allowed.push_back(tok::kPush);
    if (depth >= 1 && depth < max_depth_) allowed.push_back(tok::kDup);
    // POP only above depth 1, so the stack never ends empty.
    if (depth >= 2) allowed.insert(allowed.end(), {tok::kPlus, tok::kTimes, tok::kSwap, tok::kPop});
    const int32_t op = allowed[rng.below(allowed.size())];
    program.push_back(op);
    if (op == tok::kPush) {
      const int d = static_cast<int>(rng.below(10));
      program.push_back(digit_token(d));
      stack.push_back(d % modulus_);
    } else if (op == tok::kDup) {
      stack.push_back(stack.back());
    } else if (op == tok::kSwap) {
      std::swap(stack[stack.size() - 1], stack[stack.size() - 2]);
    } else if (op == tok::kPop) {
      stack.pop_back();
    } else {
      const int top = stack.back();
      stack.pop_back();
      stack.back() =
          op == tok::kPlus ? (stack.back() + top) % modulus_ : (stack.back() * top) % modulus_;
    }
  }
  program.push_back(tok::kEquals);
  return make_example(std::move(program), number_tokens(static_cast<uint64_t>(stack.back())));
}

bool StackTask::is_correct(const Example& example, std::span<const int32_t> output) const {
  const std::optional<int> value = run_stack_program(example.prompt, modulus_);
  if (!value) return false;
  const std::vector<int32_t> want = number_tokens(static_cast<uint64_t>(*value));
  const auto got = strip_eos(output);
  return std::equal(got.begin(), got.end(), want.begin(), want.end());
}

}  // namespace emlab::tasks
