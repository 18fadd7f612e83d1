#pragma once
// Tasks that need two independent skills in one answer, each of which is also a task on its own
// (sub_skills() names them), for skill-composition studies: accuracy near the product of the
// parts' accuracies when they fail independently (Arora & Goyal 2023). Writing a sum reversed is
// not such a task (it is the order in which addition is computed, Lee et al. 2023): use
// add(reverse=true) for that.
#include <map>

#include "tasks/knowledge_base.hpp"
#include "tasks/task.hpp"

namespace emlab::tasks {

// "?qk A+d=" -> value + d, in a knowledge base whose values are digits: look up the fact (task
// "kb" with the same world) then add a digit (task "add", digits = 1). Training also shows the
// world's statements ("qk A=7"), a share statement_fraction of the examples, so the task learns
// alone; statements are never held out. With write_fact=true the answer writes the fact before
// the sum ("?qk A+9=" -> "7;16"): both parts in one answer, so that it is right exactly when the
// lookup and then the sum of two shown digits are (the composition study's positive control).
//
// By default its questions are split by their own prompts, so a test question's fact and sum have
// usually been trained in other questions. With fact_test_fraction and sum_test_fraction (the
// test_fraction of its parts kb and add(digits=1), same split_seed) it holds out what its parts
// hold out instead: a question is trained on only when neither its fact's question "?qk A=" nor
// its sum "v+d=" is in that part's test split, and tested only when both are. Then the composite
// and its parts are scored on the same kind of novelty: a fact known only from statements, and a
// pair of digits never summed in training.
class LookupAddTask final : public Task {
 public:
  // Parameters: the knowledge base's (numeric is implied), statement_fraction, write_fact,
  // fact_test_fraction and sum_test_fraction (0: split by its own prompts).
  explicit LookupAddTask(ParamReader& params);
  std::vector<TaskSpec> sub_skills() const override;
  const KnowledgeBase& knowledge_base() const { return kb_; }

 protected:
  Example draw(Rng& rng, bool for_test) const override;
  bool split_applies(const Example& example) const override;
  bool trainable(const Example& example) const override;
  bool testable(const Example& example) const override;

 private:
  bool splits_by_parts() const { return fact_test_fraction_ > 0 || sum_test_fraction_ > 0; }
  // Whether a question's fact and its sum are held out by the parts (false when not split so).
  bool fact_held_out(const Example& question) const;
  bool sum_held_out(const Example& question) const;
  static std::vector<int32_t> fact_question(const Example& question);  // "?qk A+d=" -> "?qk A="

  KnowledgeBase kb_;
  double statement_fraction_;
  bool write_fact_;
  double fact_test_fraction_;
  double sum_test_fraction_;
  std::map<std::vector<int32_t>, int> value_of_question_;  // "?qk A=" -> the fact's value
};

}  // namespace emlab::tasks
