// Stack programs checked by a second interpreter that builds expression trees from the decoded
// text and evaluates them recursively, and the judge that runs the program.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>

#include "task_test_util.hpp"
#include "tasks/stack_machine.hpp"

namespace emlab::tasks {
namespace {

using namespace tasktest;

struct Node {
  char op;  // 'n' for a number
  int value = 0;
  std::shared_ptr<const Node> left, right;
};
using Tree = std::shared_ptr<const Node>;

int64_t evaluate(const Tree& t, int64_t m) {
  if (t->op == 'n') return t->value % m;
  const int64_t a = evaluate(t->left, m), b = evaluate(t->right, m);
  return t->op == '+' ? (a + b) % m : (a * b) % m;
}

// Scans the decoded program text ("PUSH 3 PUSH 4* DUP +=") into a stack of expression trees;
// -1 if malformed. Counts the instructions read.
int64_t interpret_text(const std::string& program, int64_t m, int* instructions) {
  std::vector<Tree> stack;
  *instructions = 0;
  size_t i = 0;
  const auto starts = [&](const char* word) {
    return program.compare(i, std::strlen(word), word) == 0;
  };
  while (i < program.size()) {
    if (program[i] == ' ') {
      ++i;
      continue;
    }
    if (program[i] == '=') break;
    ++*instructions;
    if (starts("PUSH")) {
      i += 4;
      while (i < program.size() && program[i] == ' ') ++i;
      if (i >= program.size() || !std::isdigit(static_cast<unsigned char>(program[i]))) return -1;
      stack.push_back(std::make_shared<Node>(Node{'n', program[i++] - '0', nullptr, nullptr}));
    } else if (starts("DUP")) {
      i += 3;
      if (stack.empty()) return -1;
      stack.push_back(stack.back());
    } else if (starts("SWAP") || starts("POP") || starts("+") || starts("*")) {
      const char op = program[i];
      i += op == 'S' ? 4 : op == 'P' ? 3 : 1;
      if (stack.size() < 2) return -1;
      const Tree top = stack.back();
      stack.pop_back();
      if (op == 'S') {
        const Tree below = stack.back();
        stack.back() = top;
        stack.push_back(below);
      } else if (op != 'P') {
        stack.back() = std::make_shared<Node>(Node{op, 0, stack.back(), top});
      }
    } else {
      return -1;
    }
  }
  return stack.empty() ? -1 : evaluate(stack.back(), m);
}

TEST(Stack, AnswersMatchASecondInterpreter) {
  for (const int modulus : {10, 7, 97, 1000}) {
    for (const int length : {1, 4, 9, 20}) {
      const auto t =
          task("stack", {{"length", std::to_string(length)}, {"modulus", std::to_string(modulus)}});
      Rng rng(static_cast<uint64_t>(modulus * 100 + length));
      for (int i = 0; i < 500; ++i) {
        const Example e = t->sample_train(rng);
        const std::string program = text(e.prompt);
        int instructions = 0;
        const int64_t want = interpret_text(program, modulus, &instructions);
        ASSERT_GE(want, 0) << program;
        ASSERT_EQ(instructions, length) << program;
        ASSERT_EQ(answer_text(e), std::to_string(want)) << program;
        ASSERT_TRUE(t->is_correct(e, e.target));
      }
      EXPECT_DOUBLE_EQ(*t->chance_exact_match(), 1.0 / modulus);
    }
  }
}

TEST(Stack, JudgedByRunningTheProgram) {
  const auto t = task("stack", {{"length", "5"}});
  Example e;
  e.prompt = encode("PUSH 3 PUSH 4 * DUP + =");  // (3*4)*2 = 24 = 4 mod 10
  e.target = encode("4<eos>");
  EXPECT_TRUE(t->is_correct(e, encode("4")));
  EXPECT_TRUE(t->is_correct(e, encode("4<eos>77")));  // after <eos> is ignored
  EXPECT_FALSE(t->is_correct(e, encode("24")));
  EXPECT_FALSE(t->is_correct(e, encode("")));
  e.target = encode("5<eos>");  // a wrong stored target does not fool the judge
  EXPECT_TRUE(t->is_correct(e, encode("4")));
}

TEST(Stack, MalformedProgramsHaveNoValue) {
  EXPECT_EQ(run_stack_program(encode("PUSH 3 PUSH 4 SWAP POP ="), 10), 4);
  EXPECT_EQ(run_stack_program(encode("PUSH 9 DUP * ="), 10), 1);
  EXPECT_FALSE(run_stack_program(encode("PUSH 3 + ="), 10));
  EXPECT_FALSE(run_stack_program(encode("PUSH ="), 10));
  EXPECT_FALSE(run_stack_program(encode("DUP"), 10));
  EXPECT_FALSE(run_stack_program(encode("PUSH 1 PUSH 2 POP POP"), 10));
  EXPECT_FALSE(run_stack_program(encode("PUSH 1 a"), 10));
}

}  // namespace
}  // namespace emlab::tasks
