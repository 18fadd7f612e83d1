#pragma once
// The table observational scaling reads (analysis/capability_table.hpp), from a results database
// of imported models: each completed model's family, training FLOPs (where known) and its final
// scores on the named capability and target tasks.
#include <string>
#include <vector>

#include "analysis/capability_table.hpp"
#include "results/result_set.hpp"

namespace emlab::results {

struct TaskChoice {
  std::string task, metric;
  std::string label;  // the task's name where it has one metric, else "task:metric"
};

// Each name is "task" (a task scored under one metric) or "task:metric"; an unknown or ambiguous
// name is an error that lists what the database has.
std::vector<TaskChoice> choose_tasks(const ResultSet& results,
                                     const std::vector<std::string>& names);

// Every task × metric at the final checkpoints not among `taken` whose scores are proportions
// (higher is better, all in [0, 1]): the default targets.
std::vector<TaskChoice> other_tasks(const ResultSet& results, const std::vector<TaskChoice>& taken);

// One model per completed run with a final checkpoint; a missing score is NaN. A target's chance
// level is the one stored with its scores (NaN where none is).
analysis::CapabilityTable capability_table(const ResultSet& results,
                                           const std::vector<TaskChoice>& capability,
                                           const std::vector<TaskChoice>& targets);

}  // namespace emlab::results
