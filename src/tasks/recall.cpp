#include "tasks/recall.hpp"

#include <algorithm>
#include <cmath>

#include "tasks/alphabet.hpp"

namespace emlab::tasks {

namespace {
KnowledgeBase read_world(ParamReader& params) {
  KnowledgeBaseConfig c;
  c.numeric = true;
  c.values = 10;
  c.attributes = 1;
  c.entities = params.integer32("entities", 500, 1, 100000);
  c.name_length = params.integer32("name_length", 3, 1, 4);
  c.seed = params.seed("kb_seed", 1);
  c.require_names(params.task());
  return KnowledgeBase(c);
}
}  // namespace

RecallTask::RecallTask(ParamReader& params) : Task("recall"), kb_(read_world(params)) {
  keys_ = params.integer32("keys", 4, 1, 8);
  statement_fraction_ = params.real("statement_fraction", 0.5, 0.0, 1.0);
  const double zipf = params.real("zipf", 0.0, 0.0, 4.0);
  if (zipf > 0) {
    double total = 0;
    for (int k = 1; k <= kb_.config().entities; ++k) {
      total += std::pow(double(k), -zipf);
      cumulative_.push_back(total);
    }
    for (double& c : cumulative_) c /= total;
  }
  configure(params);
}

std::optional<double> RecallTask::chance_exact_match() const {
  return std::pow(0.1, keys_);
}

Example RecallTask::draw(Rng& rng, bool for_test) const {
  const auto entity = [&] {
    if (for_test || cumulative_.empty())
      return static_cast<int>(rng.below(static_cast<uint64_t>(kb_.config().entities)));
    const double u = static_cast<double>(rng.uniform());
    const auto at = std::upper_bound(cumulative_.begin(), cumulative_.end(), u);
    return static_cast<int>(std::min<ptrdiff_t>(at - cumulative_.begin(),
                                                static_cast<ptrdiff_t>(cumulative_.size()) - 1));
  };
  if (!for_test && static_cast<double>(rng.uniform()) < statement_fraction_) {
    const int e = entity();
    std::vector<int32_t> prompt = kb_.name(e);
    prompt.push_back(tok::kEquals);
    return make_example(std::move(prompt), {kb_.value_token(kb_.value(e, 0))});
  }
  std::vector<int32_t> prompt{tok::kQuery}, answer;
  for (int k = 0; k < keys_; ++k) {
    const int e = entity();
    if (k > 0) prompt.push_back(tok::kComma);
    prompt.insert(prompt.end(), kb_.name(e).begin(), kb_.name(e).end());
    answer.push_back(kb_.value_token(kb_.value(e, 0)));
  }
  prompt.push_back(tok::kEquals);
  return make_example(std::move(prompt), std::move(answer));
}

bool RecallTask::split_applies(const Example& example) const {
  return !example.prompt.empty() && example.prompt.front() == tok::kQuery;
}

}  // namespace emlab::tasks
