#include "tasks/composition.hpp"

#include "tasks/alphabet.hpp"

namespace emlab::tasks {

namespace {
KnowledgeBase read_numeric_kb(ParamReader& params) {
  return KnowledgeBase(KnowledgeBaseConfig::read(params, true));
}
}  // namespace

LookupAddTask::LookupAddTask(ParamReader& params)
    : Task("lookup_add"), kb_(read_numeric_kb(params)) {
  statement_fraction_ = params.real("statement_fraction", 0.5, 0.0, 1.0);
  write_fact_ = params.boolean("write_fact", false);
  fact_test_fraction_ = params.real("fact_test_fraction", 0.0, 0.0, 0.5);
  sum_test_fraction_ = params.real("sum_test_fraction", 0.0, 0.0, 0.5);
  configure(params);
  for (int e = 0; e < kb_.config().entities; ++e)
    for (int a = 0; a < kb_.config().attributes; ++a)
      value_of_question_.emplace(kb_.question_prompt(e, a), kb_.value(e, a));
}

std::vector<TaskSpec> LookupAddTask::sub_skills() const {
  TaskSpec kb{"kb", kb_.config().to_params(), 1.0};
  TaskSpec add{"add", {}, 1.0};
  add.params.set("digits", 1);
  return {kb, add};
}

Example LookupAddTask::draw(Rng& rng, bool for_test) const {
  const int e = static_cast<int>(rng.below(static_cast<uint64_t>(kb_.config().entities)));
  const int a = static_cast<int>(rng.below(static_cast<uint64_t>(kb_.config().attributes)));
  const int v = kb_.value(e, a);
  if (!for_test && static_cast<double>(rng.uniform()) < statement_fraction_)
    return make_example(kb_.statement_prompt(e, a), {kb_.value_token(v)});
  const int d = static_cast<int>(rng.below(10));
  std::vector<int32_t> prompt = kb_.question_prompt(e, a);
  prompt.back() = tok::kPlus;  // "?qk A=" becomes "?qk A+d="
  prompt.push_back(digit_token(d));
  prompt.push_back(tok::kEquals);
  std::vector<int32_t> answer = number_tokens(static_cast<uint64_t>(v + d));
  if (write_fact_) {  // "7;16": the fact, then the sum
    answer.insert(answer.begin(), {kb_.value_token(v), tok::kSemicolon});
  }
  return make_example(std::move(prompt), std::move(answer));
}

bool LookupAddTask::split_applies(const Example& example) const {
  return !example.prompt.empty() && example.prompt.front() == tok::kQuery;
}

// A question "?qk A+d=": its fact's question is "?qk A=" and its sum "v+d=".
bool LookupAddTask::fact_held_out(const Example& question) const {
  return fact_test_fraction_ > 0 &&
         prompt_in_split(fact_question(question), fact_test_fraction_, split().split_seed);
}

bool LookupAddTask::sum_held_out(const Example& question) const {
  if (sum_test_fraction_ <= 0) return false;
  const int v = value_of_question_.at(fact_question(question));
  const std::vector<int32_t> sum = {digit_token(v), tok::kPlus,
                                    question.prompt[question.prompt.size() - 2], tok::kEquals};
  return prompt_in_split(sum, sum_test_fraction_, split().split_seed);
}

std::vector<int32_t> LookupAddTask::fact_question(const Example& question) {
  std::vector<int32_t> fact(question.prompt.begin(), question.prompt.end() - 2);
  fact.back() = tok::kEquals;
  return fact;
}

bool LookupAddTask::trainable(const Example& example) const {
  if (!splits_by_parts()) return Task::trainable(example);
  if (!split_applies(example)) return true;
  return !fact_held_out(example) && !sum_held_out(example);
}

bool LookupAddTask::testable(const Example& example) const {
  if (!splits_by_parts()) return Task::testable(example);
  if (!split_applies(example)) return false;
  return (fact_test_fraction_ <= 0 || fact_held_out(example)) &&
         (sum_test_fraction_ <= 0 || sum_held_out(example));
}

}  // namespace emlab::tasks
