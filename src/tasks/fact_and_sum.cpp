#include "tasks/fact_and_sum.hpp"

#include <algorithm>

#include "tasks/alphabet.hpp"

namespace emlab::tasks {

FactAndSumTask::FactAndSumTask(ParamReader& params)
    : Task("fact_and_sum"), kb_(KnowledgeBaseConfig::read(params, true)) {
  statement_fraction_ = params.real("statement_fraction", 0.5, 0.0, 1.0);
  sum_last_ = params.boolean("sum_last", true);
  fact_test_fraction_ = params.real("fact_test_fraction", 0.5, 0.001, 0.5);
  sum_test_fraction_ = params.real("sum_test_fraction", 0.5, 0.001, 0.5);
  configure(params);
}

std::vector<TaskSpec> FactAndSumTask::sub_skills() const {
  TaskSpec kb{"kb", kb_.config().to_params(), 1.0};
  kb.params.set("test_fraction", fact_test_fraction_);
  kb.params.set("split_seed", split().split_seed);
  TaskSpec add{"add", {}, 1.0};
  add.params.set("digits", 1);
  add.params.set("test_fraction", sum_test_fraction_);
  add.params.set("split_seed", split().split_seed);
  return {kb, add};
}

Example FactAndSumTask::draw(Rng& rng, bool for_test) const {
  const int e = static_cast<int>(rng.below(static_cast<uint64_t>(kb_.config().entities)));
  const int a = static_cast<int>(rng.below(static_cast<uint64_t>(kb_.config().attributes)));
  const int v = kb_.value(e, a);
  if (!for_test && static_cast<double>(rng.uniform()) < statement_fraction_)
    return make_example(kb_.statement_prompt(e, a), {kb_.value_token(v)});
  const int x = static_cast<int>(rng.below(10));
  const int y = static_cast<int>(rng.below(10));
  std::vector<int32_t> first = kb_.question_prompt(e, a);
  std::vector<int32_t> last = {digit_token(x), tok::kPlus, digit_token(y), tok::kEquals};
  std::vector<int32_t> first_answer = {kb_.value_token(v)};
  std::vector<int32_t> last_answer = number_tokens(static_cast<uint64_t>(x + y));
  if (!sum_last_) {
    std::swap(first, last);
    std::swap(first_answer, last_answer);
  }
  // "first;last" -> "answer of last;answer of first"
  std::vector<int32_t> prompt = first;
  prompt.push_back(tok::kSemicolon);
  prompt.insert(prompt.end(), last.begin(), last.end());
  std::vector<int32_t> answer = last_answer;
  answer.push_back(tok::kSemicolon);
  answer.insert(answer.end(), first_answer.begin(), first_answer.end());
  return make_example(std::move(prompt), std::move(answer));
}

// Statements carry facts and are never held out; questions hold a ';'.
bool FactAndSumTask::split_applies(const Example& example) const {
  return std::find(example.prompt.begin(), example.prompt.end(), tok::kSemicolon) !=
         example.prompt.end();
}

FactAndSumTask::Parts FactAndSumTask::parts_of(const Example& question) const {
  const auto semicolon = std::find(question.prompt.begin(), question.prompt.end(), tok::kSemicolon);
  std::vector<int32_t> first(question.prompt.begin(), semicolon);
  std::vector<int32_t> last(semicolon + 1, question.prompt.end());
  if (sum_last_) return {std::move(first), std::move(last)};
  return {std::move(last), std::move(first)};
}

bool FactAndSumTask::fact_held_out(const Parts& parts) const {
  return prompt_in_split(parts.fact, fact_test_fraction_, split().split_seed);
}

bool FactAndSumTask::sum_held_out(const Parts& parts) const {
  return prompt_in_split(parts.sum, sum_test_fraction_, split().split_seed);
}

bool FactAndSumTask::trainable(const Example& example) const {
  if (!split_applies(example)) return true;
  const Parts parts = parts_of(example);
  return !fact_held_out(parts) && !sum_held_out(parts);
}

bool FactAndSumTask::testable(const Example& example) const {
  if (!split_applies(example)) return false;
  const Parts parts = parts_of(example);
  return fact_held_out(parts) && sum_held_out(parts);
}

}  // namespace emlab::tasks
