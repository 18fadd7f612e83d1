// Recall of several facts in one answer: questions' answers are the facts taught as statements,
// the entities of a question are drawn independently, and zipf shapes training's frequencies only.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "task_test_util.hpp"
#include "tasks/recall.hpp"

namespace emlab::tasks {
namespace {

using namespace tasktest;

// Facts as taught: statement "qk=" -> digit, from training samples.
std::map<std::string, char> collect_statements(const Task& t, int draws) {
  std::map<std::string, char> facts;
  Rng rng(5);
  for (int i = 0; i < draws; ++i) {
    const Example e = t.sample_train(rng);
    if (e.prompt.front() == tok::kQuery) continue;
    const std::string name = text(e.prompt).substr(0, e.prompt.size() - 1);
    const std::string value = answer_text(e);
    EXPECT_EQ(value.size(), 1u);
    const auto [it, inserted] = facts.emplace(name, value[0]);
    EXPECT_EQ(it->second, value[0]) << "fact " << name << " taught with two values";
  }
  return facts;
}

TEST(Recall, QuestionsAskTheTaughtFactsInOrder) {
  // ?qk,ab,mz= -> the three names' digits, as statements taught them.
  const auto t = task("recall", {{"entities", "40"}, {"keys", "3"}, {"name_length", "2"}});
  const auto facts = collect_statements(*t, 4000);
  EXPECT_EQ(facts.size(), 40u) << "every entity is taught";
  const std::vector<Example> test = t->test_set(50, 7);
  ASSERT_EQ(test.size(), 50u);
  for (const Example& e : test) {
    const std::string q = text(e.prompt);
    SCOPED_TRACE(q);
    ASSERT_EQ(q.size(), 1u + 3 * 2 + 2 + 1);  // ? name , name , name =
    EXPECT_EQ(q.front(), '?');
    EXPECT_EQ(q.back(), '=');
    const std::string answer = answer_text(e);
    ASSERT_EQ(answer.size(), 3u);
    for (size_t k = 0; k < 3; ++k) {
      const std::string name = q.substr(1 + 3 * k, 2);
      ASSERT_TRUE(facts.count(name));
      EXPECT_EQ(answer[k], facts.at(name));
    }
  }
  EXPECT_DOUBLE_EQ(t->chance_exact_match().value(), 1e-3);
}

TEST(Recall, AQuestionsEntitiesAreDrawnIndependently) {
  // With 2 entities and 2 keys, the four ordered pairs each come up about a quarter of the time.
  const auto t = task(
      "recall",
      {{"entities", "2"}, {"keys", "2"}, {"statement_fraction", "0"}, {"test_fraction", "0.001"}});
  std::map<std::string, int> pairs;
  Rng rng(8);
  for (int i = 0; i < 4000; ++i) ++pairs[text(t->sample_train(rng).prompt)];
  ASSERT_EQ(pairs.size(), 4u);
  for (const auto& [prompt, n] : pairs) {
    EXPECT_GT(n, 850) << prompt;
    EXPECT_LT(n, 1150) << prompt;
  }
}

TEST(Recall, ZipfShapesTrainingButNotTheTest) {
  // zipf=1 over 100 entities: statements name the first 1/H(100) = 19.3% of the time, the 100th
  // 0.19%.
  const auto t = task("recall", {{"entities", "100"}, {"keys", "2"}, {"zipf", "1"}});
  const auto& kb = dynamic_cast<const RecallTask&>(*t).knowledge_base();
  const std::string first = decode(kb.name(0)), last = decode(kb.name(99));
  std::map<std::string, int> named;
  int statements = 0;
  Rng rng(9);
  for (int i = 0; i < 40000; ++i) {
    const Example e = t->sample_train(rng);
    if (e.prompt.front() == tok::kQuery) continue;
    ++statements;
    ++named[text(e.prompt).substr(0, 3)];
  }
  EXPECT_NEAR(named[first] / double(statements), 0.193, 0.015);
  EXPECT_LT(named[last], 100);
  // Held-out questions (2 names each, about 1,000 of the 10,000) name each entity about 20 times:
  // the first is not favoured.
  int first_in_test = 0, names_in_test = 0;
  for (const Example& e : t->test_set(2000, 3)) {
    const std::string q = text(e.prompt);
    for (const std::string& name : {q.substr(1, 3), q.substr(5, 3)}) {
      ++names_in_test;
      first_in_test += name == first ? 1 : 0;
    }
  }
  EXPECT_GT(names_in_test, 1400);
  EXPECT_LT(first_in_test, 3 * names_in_test / 100) << "uniform: 1% of the names";
}

TEST(Recall, RejectsQuestionsLongerThanEightFacts) {
  EXPECT_THROW(task("recall", {{"keys", "9"}}), std::exception);
  EXPECT_THROW(task("recall", {{"entities", "700"}, {"name_length", "2"}}), std::exception);
}

}  // namespace
}  // namespace emlab::tasks
