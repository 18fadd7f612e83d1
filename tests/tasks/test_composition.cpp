// lookup_add, the composed task: a fact looked up in a knowledge base taught in training, plus a
// digit, in one answer. Its answers follow from the world's facts, its parts are the lookup alone
// and the sum alone, and its test sets are deterministic and held out.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "kb_test_util.hpp"
#include "tasks/composition.hpp"
#include "tasks/knowledge_base.hpp"

namespace emlab::tasks {
namespace {

using namespace tasktest;

const std::vector<std::pair<std::string, std::string>> kWorld = {
    {"entities", "30"}, {"attributes", "2"}, {"kb_seed", "11"}};

const KnowledgeBase& world_of(const Task& t) {
  return dynamic_cast<const LookupAddTask&>(t).knowledge_base();
}

// The value of the fact a "?xyA+d=" or "xyA=" prompt names.
int fact_of(const KnowledgeBase& kb, const std::string& prompt) {
  return fact_value(kb, prompt.substr(prompt.front() == '?' ? 1 : 0, 3));
}

TEST(LookupAdd, AnswersAreTheFactPlusTheDigitAndStatementsTeachTheFacts) {
  const auto t = task("lookup_add", kWorld);
  const KnowledgeBase& kb = world_of(*t);
  Rng rng(12);
  int questions = 0, statements = 0;
  for (int i = 0; i < 4000; ++i) {
    const Example e = t->sample_train(rng);
    const std::string p = text(e.prompt);
    if (e.prompt.front() != tok::kQuery) {  // a statement "xyA=" -> the fact's value
      ++statements;
      ASSERT_EQ(answer_text(e), std::to_string(fact_of(kb, p))) << p;
      continue;
    }
    ++questions;
    ASSERT_EQ(p.size(), 7u) << p;  // "?xyA+d="
    ASSERT_EQ(p.substr(4, 1), "+");
    ASSERT_EQ(p.back(), '=');
    const int want = fact_of(kb, p) + (p[5] - '0');
    ASSERT_EQ(answer_text(e), std::to_string(want)) << p;
  }
  // statement_fraction 0.5 of draws, less the held-out questions the sampler rejects.
  EXPECT_NEAR(statements / 4000.0, 0.5 / (1 - 0.05), 0.03);
  EXPECT_GT(questions, 1500);
}

// Checked by hand: the facts are read from the statements training shows, not from the world.
TEST(LookupAdd, HandCheckedExamples) {
  const auto t = task("lookup_add", kWorld);
  const std::vector<Example> test = t->test_set(3, 5);
  ASSERT_EQ(test.size(), 3u);
  EXPECT_EQ(text(test[0].prompt), "?cgA+8=");
  EXPECT_EQ(answer_text(test[0]), "13");  // cgA = 5, 5 + 8
  EXPECT_EQ(text(test[1].prompt), "?hzB+5=");
  EXPECT_EQ(answer_text(test[1]), "11");  // hzB = 6, 6 + 5
  EXPECT_EQ(text(test[2].prompt), "?wbB+0=");
  EXPECT_EQ(answer_text(test[2]), "4");  // wbB = 4, 4 + 0
  for (const Example& e : test) EXPECT_EQ(e.target.back(), tok::kEos);
  std::map<std::string, std::string> taught;
  Rng rng(3);
  for (int i = 0; i < 20000 && taught.size() < 3; ++i) {
    const Example e = t->sample_train(rng);
    const std::string p = text(e.prompt);
    if (p == "cgA=" || p == "hzB=" || p == "wbB=") taught[p] = answer_text(e);
  }
  EXPECT_EQ(taught,
            (std::map<std::string, std::string>{{"cgA=", "5"}, {"hzB=", "6"}, {"wbB=", "4"}}));
}

// The positive control's form, checked by hand: the same held-out questions, each answer the
// fact then the sum; statements unchanged.
TEST(LookupAdd, WriteFactAnswersTheFactThenTheSum) {
  std::vector<std::pair<std::string, std::string>> world = kWorld;
  world.emplace_back("write_fact", "true");
  const auto t = task("lookup_add", world);
  const std::vector<Example> test = t->test_set(3, 5);
  ASSERT_EQ(test.size(), 3u);
  EXPECT_EQ(text(test[0].prompt), "?cgA+8=");
  EXPECT_EQ(answer_text(test[0]), "5;13");  // cgA = 5, then 5 + 8
  EXPECT_EQ(text(test[1].prompt), "?hzB+5=");
  EXPECT_EQ(answer_text(test[1]), "6;11");
  EXPECT_EQ(text(test[2].prompt), "?wbB+0=");
  EXPECT_EQ(answer_text(test[2]), "4;4");
  for (const Example& e : test) EXPECT_EQ(e.target.back(), tok::kEos);
  Rng rng(3);
  bool statement = false;
  for (int i = 0; i < 20000 && !statement; ++i) {
    const Example e = t->sample_train(rng);
    if (text(e.prompt) == "cgA=") {
      statement = true;
      EXPECT_EQ(answer_text(e), "5");
    }
  }
  EXPECT_TRUE(statement);
  // Its parts are lookup_add's.
  const auto plain = task("lookup_add", kWorld)->sub_skills();
  const auto parts = t->sub_skills();
  ASSERT_EQ(parts.size(), plain.size());
  for (size_t i = 0; i < parts.size(); ++i)
    EXPECT_EQ(make_task(parts[i])->describe(), make_task(plain[i])->describe());
}

TEST(LookupAdd, TestSetsAreDeterministicHeldOutQuestions) {
  const auto t = task("lookup_add", kWorld);
  const std::vector<Example> a = t->test_set(100, 5), again = t->test_set(100, 5);
  const std::vector<Example> other = t->test_set(100, 6);
  // 30 entities x 2 attributes x 10 digits: 600 questions, 52 of them in the test split (about
  // test_fraction 0.1), so a set of 100 is all of them.
  ASSERT_EQ(a.size(), 52u);
  ASSERT_EQ(again.size(), a.size());
  bool differs = false;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].prompt, again[i].prompt);
    EXPECT_EQ(a[i].target, again[i].target);
    EXPECT_EQ(a[i].prompt.front(), tok::kQuery);  // statements are never held out
    EXPECT_TRUE(t->in_test_split(a[i].prompt));
    differs = differs || a[i].prompt != other[i].prompt;
  }
  EXPECT_TRUE(differs) << "another seed draws the held-out questions in another order";
  // A shorter set is the start of a longer one with the same seed.
  const std::vector<Example> first = t->test_set(3, 5);
  for (size_t i = 0; i < first.size(); ++i) EXPECT_EQ(first[i].prompt, a[i].prompt);
}

TEST(LookupAdd, PartsAreTheLookupAloneAndTheSumAlone) {
  const auto t = task("lookup_add", kWorld);
  const auto parts = t->sub_skills();
  ASSERT_EQ(parts.size(), 2u);
  // The lookup: questions about the same world's facts, answered with the fact's digit.
  ASSERT_EQ(parts[0].name, "kb");
  const auto lookup = make_task(parts[0]);
  const KnowledgeBase& kb = dynamic_cast<const KnowledgeTask&>(*lookup).knowledge_base();
  const KnowledgeBase& world = world_of(*t);
  ASSERT_EQ(kb.config().entities, world.config().entities);
  ASSERT_EQ(kb.config().attributes, world.config().attributes);
  for (int e = 0; e < world.config().entities; ++e) {
    EXPECT_EQ(kb.name(e), world.name(e));
    for (int a = 0; a < world.config().attributes; ++a)
      EXPECT_EQ(kb.value(e, a), world.value(e, a));
  }
  const Example question = lookup->test_set(1, 5).front();
  EXPECT_TRUE(is_digit_token(question.target.front()));
  // The sum: "a+b=" of two digits, as in the composite once the fact is looked up.
  EXPECT_EQ(make_task(parts[1])->describe(), task("add", {{"digits", "1"}})->describe());
}

// Split by its parts: a question is trained on only when neither its fact's question nor its sum
// is held out by the part tasks themselves (kb and add(digits=1) at the same fractions), and tested
// only when both are; statements of every fact are still trained.
TEST(LookupAdd, SplitByItsPartsHoldsOutExactlyWhatThePartsHoldOut) {
  auto world = kWorld;
  world.push_back({"fact_test_fraction", "0.5"});
  world.push_back({"sum_test_fraction", "0.5"});
  const auto t = task("lookup_add", world);
  auto kb_params = kWorld;
  kb_params.push_back({"numeric", "true"});
  kb_params.push_back({"test_fraction", "0.5"});
  const auto kb_part = task("kb", kb_params);
  const auto add_part = task("add", {{"digits", "1"}, {"test_fraction", "0.5"}});
  const KnowledgeBase& kb = world_of(*t);
  // "?xyA+d=" -> the part prompts "?xyA=" and "v+d=".
  auto held = [&](const Example& e) {
    const std::string q = text(e.prompt);
    const std::string fact = q.substr(0, q.size() - 3) + "=";
    const std::string sum = std::to_string(fact_of(kb, q)) + "+" + q.substr(q.size() - 2);
    return std::pair{kb_part->in_test_split(encode(fact)), add_part->in_test_split(encode(sum))};
  };
  // 60 facts x 10 digits; about a quarter have both parts held out.
  expect_split_by_parts(*t, *kb_part, held, 60u, 300u);
}

}  // namespace
}  // namespace emlab::tasks
