// The knowledge base: test answers agree with the facts taught as statements in training, and
// choices are well formed.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "task_test_util.hpp"
#include "tasks/knowledge_base.hpp"

namespace emlab::tasks {
namespace {

using namespace tasktest;

// Facts as taught: statement prompt text "qkA=" -> value text, collected from training samples.
std::map<std::string, std::string> collect_statements(const Task& t, int draws) {
  std::map<std::string, std::string> facts;
  Rng rng(99);
  for (int i = 0; i < draws; ++i) {
    const Example e = t.sample_train(rng);
    if (e.prompt.front() == tok::kQuery) continue;
    const std::string key = text(e.prompt), value = answer_text(e);
    const auto [it, inserted] = facts.emplace(key, value);
    EXPECT_EQ(it->second, value) << "fact " << key << " taught with two values";
  }
  return facts;
}

TEST(Knowledge, TestQuestionsAgreeWithTaughtStatements) {
  const auto t = task("kb", {{"entities", "40"},
                             {"attributes", "3"},
                             {"values", "12"},
                             {"choices", "5"},
                             {"test_fraction", "0.3"}});
  const auto facts = collect_statements(*t, 20000);
  EXPECT_EQ(facts.size(), 120u) << "every fact appears as a statement";
  const std::vector<Example> test = t->test_set(1000, 7);
  EXPECT_GT(test.size(), 15u);
  EXPECT_LT(test.size(), 70u);
  std::set<int> correct_positions;
  for (const Example& e : test) {
    SCOPED_TRACE(text(e.prompt));
    ASSERT_EQ(e.prompt.front(), tok::kQuery);
    const std::string key = text(e.prompt).substr(1);
    ASSERT_TRUE(facts.count(key));
    EXPECT_EQ(answer_text(e), facts.at(key));
    ASSERT_EQ(e.choices.size(), 5u);
    ASSERT_GE(e.correct, 0);
    EXPECT_EQ(e.choices[static_cast<size_t>(e.correct)], e.target);
    std::set<std::vector<int32_t>> distinct(e.choices.begin(), e.choices.end());
    EXPECT_EQ(distinct.size(), 5u);
    for (const auto& c : e.choices) {
      ASSERT_EQ(c.size(), 2u);
      EXPECT_EQ(c[1], tok::kEos);
      EXPECT_TRUE(is_letter_token(c[0]) && letter_index(c[0]) < 12);
    }
    correct_positions.insert(e.correct);
  }
  EXPECT_EQ(correct_positions.size(), 5u) << "the correct choice is not always in one place";
  EXPECT_DOUBLE_EQ(*t->chance_multiple_choice(), 0.2);
  EXPECT_DOUBLE_EQ(*t->chance_exact_match(), 1.0 / 12);
}

TEST(Knowledge, SameWorldForTheSameSeedOnly) {
  const auto a = task("kb", {{"kb_seed", "4"}});
  const auto b = task("kb", {{"kb_seed", "4"}, {"qa_fraction", "0.1"}});
  const auto c = task("kb", {{"kb_seed", "5"}});
  const auto fa = collect_statements(*a, 8000), fb = collect_statements(*b, 8000),
             fc = collect_statements(*c, 8000);
  EXPECT_EQ(fa, fb);
  EXPECT_NE(fa, fc);
}

TEST(Knowledge, QaFractionControlsQuestionsInTraining) {
  const auto t = task("kb", {{"qa_fraction", "0.25"}});
  Rng rng(3);
  int questions = 0;
  for (int i = 0; i < 8000; ++i) questions += t->sample_train(rng).prompt.front() == tok::kQuery;
  // About 0.25 of draws are questions, less the held-out ones the sampler rejects.
  EXPECT_NEAR(questions / 8000.0, 0.25 * 0.9 / (1 - 0.025), 0.02);
}

}  // namespace
}  // namespace emlab::tasks
