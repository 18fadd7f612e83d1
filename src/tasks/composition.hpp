#pragma once
// Tasks that need two independent skills in one answer, each of which is also a task on its own
// (sub_skills() names them), for skill-composition studies: accuracy near the product of the
// parts' accuracies when they fail independently (Arora & Goyal 2023). Writing a sum reversed is
// not such a task (it is the order in which addition is computed, Lee et al. 2023): use
// add(reverse=true) for that.
#include "tasks/knowledge_base.hpp"
#include "tasks/task.hpp"

namespace emlab::tasks {

// "?qk A+d=" -> value + d, in a knowledge base whose values are digits: look up the fact (task
// "kb" with the same world) then add a digit (task "add", digits = 1). Training also shows the
// world's statements ("qk A=7"), a share statement_fraction of the examples, so the task learns
// alone; statements are never held out. With write_fact=true the answer writes the fact before
// the sum ("?qk A+9=" -> "7;16"): both parts in one answer, so that it is right exactly when the
// lookup and then the sum of two shown digits are (the composition study's positive control).
class LookupAddTask final : public Task {
 public:
  // Parameters: the knowledge base's (numeric is implied), statement_fraction and write_fact.
  explicit LookupAddTask(ParamReader& params);
  std::vector<TaskSpec> sub_skills() const override;
  const KnowledgeBase& knowledge_base() const { return kb_; }

 protected:
  Example draw(Rng& rng, bool for_test) const override;
  bool split_applies(const Example& example) const override;

 private:
  KnowledgeBase kb_;
  double statement_fraction_;
  bool write_fact_;
};

}  // namespace emlab::tasks
