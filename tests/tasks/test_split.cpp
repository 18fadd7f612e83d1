// Train and test are disjoint by construction: no training sample, over thousands drawn, has a
// prompt of the test set. Test sets are deterministic and distinct.
#include <gtest/gtest.h>

#include <set>

#include "task_test_util.hpp"

namespace emlab::tasks {
namespace {

using namespace tasktest;

const std::vector<TaskSpec>& all_tasks() {
  static const std::vector<TaskSpec> specs = {
      parse_task_spec("add(digits=1)"),
      parse_task_spec("add(digits=3 scratchpad=true)"),
      parse_task_spec("sub(digits=2 reverse=true)"),
      parse_task_spec("mul(digits=2)"),
      parse_task_spec("reverse(digits=3)"),
      parse_task_spec("copy(length=3 symbols=4)"),
      parse_task_spec("hop(length=10 letters=3 k=2)"),
      parse_task_spec("kb(entities=50 attributes=2)"),
      parse_task_spec("stack(length=3)"),
      parse_task_spec("lookup_add(entities=20)"),
      parse_task_spec("recall(entities=30 keys=2 zipf=1)"),
  };
  return specs;
}

TEST(Split, TrainSamplesNeverHoldATestPrompt) {
  for (const TaskSpec& spec : all_tasks()) {
    const auto t = make_task(spec);
    SCOPED_TRACE(t->describe());
    const std::vector<Example> test = t->test_set(500, 21);
    ASSERT_FALSE(test.empty());
    std::set<uint64_t> held_out;
    for (const Example& e : test) {
      EXPECT_TRUE(t->in_test_split(e.prompt));
      held_out.insert(prompt_hash(e.prompt, 12345));
    }
    EXPECT_EQ(held_out.size(), test.size()) << "test prompts are distinct";
    Rng rng(22);
    for (int i = 0; i < 5000; ++i) {
      const Example e = t->sample_train(rng);
      ASSERT_EQ(held_out.count(prompt_hash(e.prompt, 12345)), 0u) << text(e.prompt);
    }
  }
}

TEST(Split, SmallPromptSpaceGivesTheWholeTestSplit) {
  const auto t = task("add", {{"digits", "1"}, {"test_fraction", "0.2"}});
  int held_out = 0;
  for (int a = 0; a < 10; ++a)
    for (int b = 0; b < 10; ++b)
      held_out += t->in_test_split(encode(std::to_string(a) + "+" + std::to_string(b) + "="));
  EXPECT_GT(held_out, 5);
  EXPECT_LT(held_out, 40);
  EXPECT_EQ(static_cast<int>(t->test_set(1000, 3).size()), held_out);
  // Training covers exactly the other prompts.
  std::set<std::vector<int32_t>> train;
  Rng rng(4);
  for (int i = 0; i < 5000; ++i) train.insert(t->sample_train(rng).prompt);
  EXPECT_EQ(static_cast<int>(train.size()), 100 - held_out);
}

TEST(Split, TestSetsAreDeterministic) {
  for (const TaskSpec& spec : all_tasks()) {
    const auto t = make_task(spec);
    EXPECT_EQ(t->test_set(50, 5), t->test_set(50, 5)) << t->describe();
  }
  const auto hop = task("hop");
  EXPECT_NE(hop->test_set(50, 5), hop->test_set(50, 6));
}

TEST(Split, SplitSeedMovesTheSplit) {
  const auto a = task("mul", {{"digits", "3"}});
  const auto b = task("mul", {{"digits", "3"}, {"split_seed", "9"}});
  int both = 0;
  const auto test = a->test_set(400, 1);
  for (const Example& e : test) both += b->in_test_split(e.prompt);
  EXPECT_LT(both, 120) << "about a tenth of a's held-out prompts are held out by b";
}

}  // namespace
}  // namespace emlab::tasks
