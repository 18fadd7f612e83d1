#pragma once
// Tasks that need two skills in sequence, each of which is also a task on its own (sub_skills()
// names them), for skill-composition studies: accuracy near the product of the parts' accuracies
// when they fail independently (Arora & Goyal 2023).
#include "tasks/knowledge_base.hpp"
#include "tasks/task.hpp"

namespace emlab::tasks {

// "~a+b=" -> the digits of a+b in reverse order: add (task "add"), then reverse (task "reverse").
// Parameter: digits (of each operand).
class AddReverseTask final : public Task {
 public:
  explicit AddReverseTask(ParamReader& params);
  std::vector<TaskSpec> sub_skills() const override;

 protected:
  Example draw(Rng& rng, bool for_test) const override;

 private:
  int digits_;
};

// "?qk A+d=" -> value + d, in a knowledge base whose values are digits: look up the fact (task
// "kb" with the same world) then add a digit (task "add", digits = 1). Training also shows the
// world's statements ("qk A=7"), a share statement_fraction of the examples, so the task learns
// alone; statements are never held out.
class LookupAddTask final : public Task {
 public:
  // Parameters: the knowledge base's (numeric is implied) and statement_fraction.
  explicit LookupAddTask(ParamReader& params);
  std::vector<TaskSpec> sub_skills() const override;
  const KnowledgeBase& knowledge_base() const { return kb_; }

 protected:
  Example draw(Rng& rng, bool for_test) const override;
  bool split_applies(const Example& example) const override;

 private:
  KnowledgeBase kb_;
  double statement_fraction_;
};

}  // namespace emlab::tasks
