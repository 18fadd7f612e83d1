#include "results/missing_facts.hpp"

#include <cmath>

#include "analysis/missing_facts.hpp"

namespace emlab::results {

std::vector<std::string> runs_without(const ResultSet& results, analysis::ScaleAxis axis) {
  std::vector<std::string> names;
  for (const RunResults& run : results.runs) {
    if (!run.completed() || run.last() == nullptr) continue;
    const bool known = axis == analysis::ScaleAxis::tokens  ? run.row.tokens_known
                       : axis == analysis::ScaleAxis::flops ? run.row.flops_known
                                                            : true;
    if (!known) names.push_back(run.row.plan.name);
  }
  return names;
}

std::vector<std::string> loss_runs_without_tokens_or_flops(const ResultSet& results) {
  std::vector<std::string> names;
  for (const RunResults& run : results.runs) {
    const CheckpointResults* last = run.last();
    if (run.completed() && last != nullptr && std::isfinite(last->row.validation_loss) &&
        !(run.row.tokens_known && run.row.flops_known))
      names.push_back(run.row.plan.name);
  }
  return names;
}

std::string left_out_note(const ResultSet& results, analysis::ScaleAxis axis,
                          const std::string& what) {
  return analysis::left_out_note(what, analysis::missing_fact_name(axis),
                                 runs_without(results, axis));
}

std::string loss_left_out_note(const ResultSet& results, const std::string& what) {
  return analysis::left_out_note(what, "training tokens or FLOPs",
                                 loss_runs_without_tokens_or_flops(results));
}

}  // namespace emlab::results
