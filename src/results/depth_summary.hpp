#pragma once
// hop(k) accuracy per number of layers at the final checkpoints, and the largest k each depth
// solves (Sanford, Hsu & Telgarsky 2024). Read by the report's Depth section and by the depth
// study, so the table on the page and the verdict beside it count the same way.
#include <string>
#include <vector>

#include "results/result_set.hpp"

namespace emlab::results {

struct DepthSetting {
  std::vector<std::string> tasks;  // hop tasks in order of k: tasks[i] is hop(k = i + 1)
  std::string metric = "exact_match";
  double max_error = 0.05;  // k counts as solved when 1 − accuracy ≤ this, as every smaller k
};

// k of a hop task spec ("hop(k=3)", "hop(length=24, k=3)"); -1 for other tasks.
int hop_k(const std::string& task);

// The hop tasks evaluated in the results, in order of k, as a setting with the defaults above:
// what the report uses when no study names its own. Tasks are kept only while their k runs
// 1, 2, 3, ... without a gap.
DepthSetting evaluated_depth_setting(const ResultSet& results);

struct DepthRow {
  int layers = 0;
  std::vector<double> accuracy;  // per task of the setting: mean over runs; NaN when none
  int largest_k = 0;             // largest k solved together with every smaller k (0: not k = 1)
};

// One row per depth among the completed runs of our own (imported evaluations have no depth),
// by layers ascending. Throws emlab::Error naming the run when a config does not give its depth.
std::vector<DepthRow> depth_staircase(const ResultSet& results, const DepthSetting& setting);

}  // namespace emlab::results
