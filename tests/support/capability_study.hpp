#pragma once
// The synthetic leaderboard of capability_leaderboard.hpp as a results database would hold it
// (imported models with final scores, metric "score"; the target's chance level stored), for the
// report's observational scaling section. One model, f5-5, has no training tokens nor FLOPs.
#include <cmath>

#include "support/capability_leaderboard.hpp"
#include "support/result_set_builder.hpp"

namespace emlab::testing {

inline results::ResultSet synthetic_capability_study() {
  const SyntheticCapability s = synthetic_capability();
  results::ResultSet board;
  board.database = "capability.sqlite";
  board.name = "capability";
  for (const analysis::CapabilityModel& m : s.table.models) {
    const bool unknown = m.name == "f5-5";
    const double tokens = 1e12;
    results::RunResults run = results::testing::imported_model(
        m.name, m.family, m.flops / (6 * tokens), unknown ? NAN : tokens, unknown ? NAN : m.flops);
    for (size_t j = 0; j < m.capability.size(); ++j)
      results::testing::add_final_metric(run, s.table.capability_tasks[j], "score", m.capability[j],
                                         true);
    results::testing::add_final_metric(run, "emergent", "score", m.targets[0], true, 0.25);
    board.runs.push_back(std::move(run));
  }
  return board;
}

}  // namespace emlab::testing
