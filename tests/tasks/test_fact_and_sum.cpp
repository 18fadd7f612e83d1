// fact_and_sum: a fact question and a sum question in one prompt, both answered in one answer, the
// last question first. Its answers follow from the world and the digits, it holds out exactly what
// its parts hold out, and its parts are the kb and add tasks as configured alone.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "kb_test_util.hpp"
#include "tasks/fact_and_sum.hpp"

namespace emlab::tasks {
namespace {

using namespace tasktest;

const std::vector<std::pair<std::string, std::string>> kWorld = {
    {"entities", "30"}, {"attributes", "2"}, {"kb_seed", "11"}};

const KnowledgeBase& world_of(const Task& t) {
  return dynamic_cast<const FactAndSumTask&>(t).knowledge_base();
}

TEST(FactAndSum, AnswersTheSumThenTheFactAndStatementsTeachTheFacts) {
  const auto t = task("fact_and_sum", kWorld);
  const KnowledgeBase& kb = world_of(*t);
  Rng rng(12);
  int questions = 0, statements = 0;
  for (int i = 0; i < 4000; ++i) {
    const Example e = t->sample_train(rng);
    const std::string p = text(e.prompt);
    if (e.prompt.front() != tok::kQuery) {  // a statement "xyA=" -> the fact's value
      ++statements;
      ASSERT_EQ(answer_text(e), std::to_string(fact_value(kb, p.substr(0, 3)))) << p;
      continue;
    }
    ++questions;
    ASSERT_EQ(p.size(), 10u) << p;  // "?xyA=;a+b="
    ASSERT_EQ(p.substr(4, 2), "=;") << p;
    const int sum = (p[6] - '0') + (p[8] - '0');
    ASSERT_EQ(answer_text(e),
              std::to_string(sum) + ";" + std::to_string(fact_value(kb, p.substr(1, 3))))
        << p;
  }
  EXPECT_GT(statements, 1500);
  EXPECT_GT(questions, 700);  // a quarter of questions have neither part held out
}

// Checked by hand against the world (values read from its statements in training).
TEST(FactAndSum, HandCheckedExamplesInBothOrders) {
  const auto t = task("fact_and_sum", kWorld);
  const std::vector<Example> test = t->test_set(2, 5);
  ASSERT_EQ(test.size(), 2u);
  EXPECT_EQ(text(test[0].prompt), "?acB=;6+8=");
  EXPECT_EQ(answer_text(test[0]), "14;7");  // 6 + 8, then acB = 7
  EXPECT_EQ(text(test[1].prompt), "?hzB=;2+5=");
  EXPECT_EQ(answer_text(test[1]), "7;6");  // 2 + 5, then hzB = 6
  for (const Example& e : test) EXPECT_EQ(e.target.back(), tok::kEos);
  std::vector<std::pair<std::string, std::string>> world = kWorld;
  world.emplace_back("sum_last", "false");
  const std::vector<Example> swapped = task("fact_and_sum", world)->test_set(1, 5);
  ASSERT_EQ(swapped.size(), 1u);
  EXPECT_EQ(text(swapped[0].prompt), "6+8=;?acB=");
  EXPECT_EQ(answer_text(swapped[0]), "7;14");
  std::map<std::string, std::string> taught;
  Rng rng(3);
  for (int i = 0; i < 20000 && taught.size() < 2; ++i) {
    const Example e = t->sample_train(rng);
    const std::string p = text(e.prompt);
    if (p == "acB=" || p == "hzB=") taught[p] = answer_text(e);
  }
  EXPECT_EQ(taught, (std::map<std::string, std::string>{{"acB=", "7"}, {"hzB=", "6"}}));
}

// Trained on only when neither part is held out by the part tasks, tested only when both are;
// statements of every fact are still trained, and the parts are kb and add(digits=1) with the
// same fractions and split seed.
TEST(FactAndSum, SplitByItsPartsHoldsOutExactlyWhatThePartsHoldOut) {
  auto world = kWorld;
  world.push_back({"fact_test_fraction", "0.5"});
  world.push_back({"sum_test_fraction", "0.4"});
  world.push_back({"split_seed", "7"});
  world.push_back({"sum_last", "false"});
  const auto t = task("fact_and_sum", world);
  auto kb_params = kWorld;
  kb_params.push_back({"numeric", "true"});
  kb_params.push_back({"test_fraction", "0.5"});
  kb_params.push_back({"split_seed", "7"});
  const auto kb_part = task("kb", kb_params);
  const auto add_part =
      task("add", {{"digits", "1"}, {"test_fraction", "0.4"}, {"split_seed", "7"}});
  const auto parts = t->sub_skills();
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(make_task(parts[0])->describe(), kb_part->describe());
  EXPECT_EQ(make_task(parts[1])->describe(), add_part->describe());
  // "a+b=;?xyA=" -> the part prompts "?xyA=" and "a+b=".
  auto held = [&](const Example& e) {
    const std::string q = text(e.prompt);
    return std::pair{kb_part->in_test_split(encode(q.substr(5))),
                     add_part->in_test_split(encode(q.substr(0, 4)))};
  };
  // 60 facts x 100 sums; about half the facts and 40% of the sums held out.
  expect_split_by_parts(*t, *kb_part, held, 800u, 1700u);
}

TEST(FactAndSum, TestSetsAreDeterministic) {
  const auto t = task("fact_and_sum", kWorld);
  const std::vector<Example> a = t->test_set(50, 5), again = t->test_set(50, 5);
  ASSERT_EQ(a.size(), 50u);
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].prompt, again[i].prompt);
    EXPECT_EQ(a[i].target, again[i].target);
  }
}

}  // namespace
}  // namespace emlab::tasks
