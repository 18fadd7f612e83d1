#pragma once
// A synthetic world of entities with attributes, and the multiple-choice task over it. Facts are
// taught as statements "qk A=m" (entity qk has value m for attribute A) and asked as questions
// "?qk A=" -> "m"; test questions carry K candidate values. Statements are never held out: the
// knowledge is in training, and what is tested is answering questions not seen in training.
#include <string>
#include <vector>

#include "tasks/task.hpp"

namespace emlab::tasks {

struct KnowledgeBaseConfig {
  int entities = 100;
  int attributes = 4;   // 1-8, named A-H
  int values = 10;      // per attribute: letters a.. (2-26), or digits 0.. when numeric (2-10)
  int name_length = 2;  // letters per entity name
  bool numeric = false;
  uint64_t seed = 1;  // the world; tasks that share it share the facts

  // Reads entities, attributes, values, name_length, kb_seed (and numeric unless forced).
  static KnowledgeBaseConfig read(ParamReader& params, bool force_numeric = false);
  TaskParams to_params() const;
  // Fails, naming `task`, when the entities need more distinct names than name_length allows.
  void require_names(const std::string& task) const;
};

class KnowledgeBase {
 public:
  explicit KnowledgeBase(const KnowledgeBaseConfig& config);

  const KnowledgeBaseConfig& config() const { return config_; }
  const std::vector<int32_t>& name(int entity) const { return names_[static_cast<size_t>(entity)]; }
  int value(int entity, int attribute) const {
    return values_[static_cast<size_t>(entity * config_.attributes + attribute)];
  }
  int32_t value_token(int value) const;

  // "qk A=" (a statement's prompt) and "?qk A=" (a question's prompt).
  std::vector<int32_t> statement_prompt(int entity, int attribute) const;
  std::vector<int32_t> question_prompt(int entity, int attribute) const;

 private:
  KnowledgeBaseConfig config_;
  std::vector<std::vector<int32_t>> names_;
  std::vector<int> values_;  // (entity, attribute) row-major
};

// Parameters: the knowledge base's, plus choices (K, 2..values) and qa_fraction (share of
// training examples that are questions rather than statements).
class KnowledgeTask final : public Task {
 public:
  explicit KnowledgeTask(ParamReader& params);

  const KnowledgeBase& knowledge_base() const { return kb_; }
  std::optional<double> chance_exact_match() const override { return 1.0 / kb_.config().values; }
  std::optional<double> chance_multiple_choice() const override { return 1.0 / choices_; }

 protected:
  Example draw(Rng& rng, bool for_test) const override;
  bool split_applies(const Example& example) const override;

 private:
  KnowledgeBase kb_;
  int choices_;
  double qa_fraction_;
};

}  // namespace emlab::tasks
