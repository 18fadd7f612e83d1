#pragma once
// Recall of several memorised facts in one answer: a knowledge-base world gives every entity one
// digit, taught as statements "qkz=" -> "7", and a question names `keys` entities and asks for
// their digits in order: "?qkz,abm,tor=" -> "702". The entities of a question are drawn
// independently, so its answer positions are independent facts: how many a model knows grows
// with its size fact by fact, while exact match needs them all (the product of the positions).
// With zipf = s > 0, training names entity k (k = 1, 2, ...) with probability proportional to
// k^-s, as facts are named in real text, so a model learns the frequent facts first and how far
// down the tail it gets grows with its size and budget; test questions name entities uniformly.
// It is the mirage study's positive control (issue #21). Statements are never held out (the
// facts are in training); the split holds out questions, as in `kb`.
#include <vector>

#include "tasks/knowledge_base.hpp"
#include "tasks/task.hpp"

namespace emlab::tasks {

// Parameters: entities, keys (facts per question, 1-8), name_length, kb_seed, statement_fraction
// (share of training examples that are statements rather than questions), zipf (the exponent of
// training's entity frequencies; 0: uniform).
class RecallTask final : public Task {
 public:
  explicit RecallTask(ParamReader& params);

  const KnowledgeBase& knowledge_base() const { return kb_; }
  int keys() const { return keys_; }
  std::optional<double> chance_exact_match() const override;

 protected:
  Example draw(Rng& rng, bool for_test) const override;
  bool split_applies(const Example& example) const override;

 private:
  KnowledgeBase kb_;
  int keys_;
  double statement_fraction_;
  std::vector<double> cumulative_;  // training's entity frequencies, cumulative (empty: uniform)
};

}  // namespace emlab::tasks
