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
  configure(params);
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

}  // namespace emlab::tasks
