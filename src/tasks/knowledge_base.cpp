#include "tasks/knowledge_base.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/error.hpp"
#include "tasks/alphabet.hpp"

namespace emlab::tasks {

KnowledgeBaseConfig KnowledgeBaseConfig::read(ParamReader& params, bool force_numeric) {
  KnowledgeBaseConfig c;
  c.numeric = force_numeric || params.boolean("numeric", false);
  c.entities = params.integer32("entities", 100, 1, 100000);
  c.attributes = params.integer32("attributes", 4, 1, kAttributes, "attributes are named A-H");
  c.values = c.numeric ? params.integer32("values", 10, 2, 10, "numeric values are the digits 0-9")
                       : params.integer32("values", 10, 2, kLetters, "values are the letters a-z");
  c.name_length = params.integer32("name_length", 2, 1, 4);
  c.seed = params.seed("kb_seed", 1);
  c.require_names(params.task());
  return c;
}

void KnowledgeBaseConfig::require_names(const std::string& task) const {
  const double names = std::pow(static_cast<double>(kLetters), name_length);
  require(entities <= names,
          "task '{}': entities = {} needs more distinct names than name_length = {} allows ({})",
          task, entities, name_length, names);
}

TaskParams KnowledgeBaseConfig::to_params() const {
  TaskParams p;
  p.set("entities", entities).set("attributes", attributes).set("values", values);
  p.set("name_length", name_length).set("kb_seed", seed).set("numeric", numeric);
  return p;
}

KnowledgeBase::KnowledgeBase(const KnowledgeBaseConfig& config) : config_(config) {
  Rng rng(config.seed);
  std::set<std::vector<int32_t>> taken;
  while (static_cast<int>(names_.size()) < config.entities) {
    std::vector<int32_t> name(static_cast<size_t>(config.name_length));
    for (auto& t : name) t = letter_token(static_cast<int>(rng.below(kLetters)));
    if (taken.insert(name).second) names_.push_back(std::move(name));
  }
  values_.resize(static_cast<size_t>(config.entities * config.attributes));
  for (auto& v : values_) v = static_cast<int>(rng.below(static_cast<uint64_t>(config.values)));
}

int32_t KnowledgeBase::value_token(int value) const {
  return config_.numeric ? digit_token(value) : letter_token(value);
}

std::vector<int32_t> KnowledgeBase::statement_prompt(int entity, int attribute) const {
  std::vector<int32_t> p = name(entity);
  p.push_back(attribute_token(attribute));
  p.push_back(tok::kEquals);
  return p;
}

std::vector<int32_t> KnowledgeBase::question_prompt(int entity, int attribute) const {
  std::vector<int32_t> p{tok::kQuery};
  const std::vector<int32_t> s = statement_prompt(entity, attribute);
  p.insert(p.end(), s.begin(), s.end());
  return p;
}

namespace {
KnowledgeBase read_kb(ParamReader& params) {
  return KnowledgeBase(KnowledgeBaseConfig::read(params));
}
}  // namespace

KnowledgeTask::KnowledgeTask(ParamReader& params) : Task("kb"), kb_(read_kb(params)) {
  choices_ = params.integer32("choices", 4, 2, kb_.config().values,
                              "a question's choices are distinct values of its attribute");
  qa_fraction_ = params.real("qa_fraction", 0.5, 0.0, 1.0);
  configure(params);
}

Example KnowledgeTask::draw(Rng& rng, bool for_test) const {
  const int e = static_cast<int>(rng.below(static_cast<uint64_t>(kb_.config().entities)));
  const int a = static_cast<int>(rng.below(static_cast<uint64_t>(kb_.config().attributes)));
  const int v = kb_.value(e, a);
  const bool question = for_test || static_cast<double>(rng.uniform()) < qa_fraction_;
  Example ex = make_example(question ? kb_.question_prompt(e, a) : kb_.statement_prompt(e, a),
                            {kb_.value_token(v)});
  if (!for_test) return ex;
  // Distractors: K-1 other values of the attribute, drawn without replacement; then a shuffle.
  std::vector<int> candidates{v};
  while (static_cast<int>(candidates.size()) < choices_) {
    const int d = static_cast<int>(rng.below(static_cast<uint64_t>(kb_.config().values)));
    if (std::find(candidates.begin(), candidates.end(), d) == candidates.end())
      candidates.push_back(d);
  }
  for (size_t i = candidates.size() - 1; i > 0; --i)
    std::swap(candidates[i], candidates[rng.below(i + 1)]);
  for (size_t i = 0; i < candidates.size(); ++i) {
    ex.choices.push_back({kb_.value_token(candidates[i]), tok::kEos});
    if (candidates[i] == v) ex.correct = static_cast<int>(i);
  }
  return ex;
}

bool KnowledgeTask::split_applies(const Example& example) const {
  return !example.prompt.empty() && example.prompt.front() == tok::kQuery;
}

}  // namespace emlab::tasks
