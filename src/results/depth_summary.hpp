#pragma once
// Accuracy on k hops per number of layers at the final checkpoints, and the largest k each depth
// solves (Sanford, Hsu & Telgarsky 2024). Read by the report's Depth section and by the depth
// study, so the table on the page and the verdict beside it count the same way.
#include <string>
#include <vector>

#include "analysis/bootstrap.hpp"
#include "results/result_set.hpp"

namespace emlab::results {

// Where the accuracies come from: the hop_accuracy probe of the hops stream (every labelled
// position of held-out strings, k = 0..max_hops), or, in databases from before that stream,
// hop(k) tasks with one answer per string (tasks[i] is hop(k = i + 1)).
struct DepthSetting {
  std::vector<std::string> tasks;      // non-empty: the task source
  int max_hops = 4;                    // probe source: k = 0..max_hops
  std::string metric = "exact_match";  // task source only
  double max_error = 0.05;  // k counts as solved when 1 − accuracy ≤ this, as every smaller k ≥ 1

  bool from_probes() const { return tasks.empty(); }
  // The k of each accuracy column, in order.
  std::vector<int> ks() const;
};

// k of a hop task spec ("hop(k=3)", "hop(length=24, k=3)"); -1 for other tasks.
int hop_k(const std::string& task);

// What the results hold, as a setting with the defaults above: what the report uses when no
// study names its own. The hop_accuracy probe's k = 0, 1, 2, ... when any final checkpoint has
// them; otherwise the hop tasks evaluated, kept only while their k runs 1, 2, 3, ... without a
// gap. Empty (no tasks, max_hops -1) when there is neither.
DepthSetting evaluated_depth_setting(const ResultSet& results);

struct DepthRow {
  int layers = 0;
  std::vector<double> accuracy;  // per k of the setting's ks(): mean over runs; NaN when none
  // Per k: the 95% interval of that mean over the depth's runs (seeds); NaN bounds for one run.
  std::vector<analysis::Interval> seeds;
  // Largest k >= 1 solved together with every smaller k >= 1 (0: not k = 1). k = 0 (the current
  // letter) is a control, not counted.
  int largest_k = 0;
};

// One row per depth among the completed runs of our own (imported evaluations have no depth),
// by layers ascending. Throws emlab::Error naming the run when a config does not give its depth.
std::vector<DepthRow> depth_staircase(const ResultSet& results, const DepthSetting& setting);

}  // namespace emlab::results
