#pragma once
// Two independent questions in one prompt, both answered in one answer: a fact of a knowledge base
// ("?qk A=", task "kb") and a sum of two digits ("a+b=", task "add", digits = 1). The answer is
// right exactly when both are, and since the two questions are drawn independently, its accuracy
// is the product of the parts' wherever each behaves as it does alone (Arora & Goyal 2023): the
// composition study's positive control where the parts' prompts are what the composite shows.
//
// The answer answers the last question first, so that answer follows its question exactly as it
// does alone ("?qk A=;4+5=" -> "9;7" with sum_last=true, "4+5=;?qk A=" -> "7;9" with false).
// Training also shows the world's statements ("qk A=7", a share statement_fraction of examples).
// Split by the parts, as lookup_add can be: a question is trained on only when neither its fact's
// question nor its sum is in that part's test split (fact_test_fraction, sum_test_fraction, with
// the same split_seed as the parts), and tested only when both are.
#include <vector>

#include "tasks/knowledge_base.hpp"
#include "tasks/task.hpp"

namespace emlab::tasks {

class FactAndSumTask final : public Task {
 public:
  // Parameters: the knowledge base's (numeric is implied), statement_fraction, sum_last,
  // fact_test_fraction and sum_test_fraction.
  explicit FactAndSumTask(ParamReader& params);
  std::vector<TaskSpec> sub_skills() const override;
  const KnowledgeBase& knowledge_base() const { return kb_; }

 protected:
  Example draw(Rng& rng, bool for_test) const override;
  bool split_applies(const Example& example) const override;
  bool trainable(const Example& example) const override;
  bool testable(const Example& example) const override;

 private:
  // A question's two parts as their own tasks would ask them: "?qk A=" and "a+b=".
  struct Parts {
    std::vector<int32_t> fact;
    std::vector<int32_t> sum;
  };
  Parts parts_of(const Example& question) const;
  bool fact_held_out(const Parts& parts) const;
  bool sum_held_out(const Parts& parts) const;

  KnowledgeBase kb_;
  double statement_fraction_;
  bool sum_last_;
  double fact_test_fraction_;
  double sum_test_fraction_;
};

}  // namespace emlab::tasks
