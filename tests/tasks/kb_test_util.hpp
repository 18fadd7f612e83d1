#pragma once
// Reading a knowledge base's facts back by their text, as the task tests check answers.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "task_test_util.hpp"
#include "tasks/knowledge_base.hpp"

namespace emlab::tasks::tasktest {

// The value of the fact named by `key`, an entity's name and an attribute ("xyA"), found by the
// text of the world's statements rather than by index.
inline int fact_value(const KnowledgeBase& kb, const std::string& key) {
  for (int e = 0; e < kb.config().entities; ++e)
    for (int a = 0; a < kb.config().attributes; ++a)
      if (text(kb.statement_prompt(e, a)).substr(0, key.size()) == key) return kb.value(e, a);
  ADD_FAILURE() << "no fact " << key;
  return -1;
}

// A composite split by its parts: training never shows a question with either part held out
// (held(question) gives whether its fact and its sum are in their parts' test splits), the
// statements of held-out facts are still taught, and the test set (of between min_test and
// max_test questions) holds only questions with both parts held out.
template <typename Held>
void expect_split_by_parts(const Task& composite, const Task& kb_part, Held held, size_t min_test,
                           size_t max_test) {
  Rng rng(3);
  int questions = 0, statements_of_held_facts = 0;
  for (int i = 0; i < 3000; ++i) {
    const Example e = composite.sample_train(rng);
    const std::string s = text(e.prompt);
    if (s.find('?') == std::string::npos) {
      statements_of_held_facts += kb_part.in_test_split(encode("?" + s)) ? 1 : 0;
      continue;
    }
    ++questions;
    const auto [fact_held, sum_held] = held(e);
    EXPECT_FALSE(fact_held) << s;
    EXPECT_FALSE(sum_held) << s;
  }
  EXPECT_GT(questions, 500);
  EXPECT_GT(statements_of_held_facts, 100) << "held-out facts are still taught as statements";
  const std::vector<Example> test = composite.test_set(100000, 1);
  EXPECT_GT(test.size(), min_test);
  EXPECT_LT(test.size(), max_test);
  for (const Example& e : test) {
    const auto [fact_held, sum_held] = held(e);
    EXPECT_TRUE(fact_held && sum_held) << text(e.prompt);
  }
}

}  // namespace emlab::tasks::tasktest
