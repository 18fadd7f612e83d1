#pragma once
// Task × metric points over model size at the final checkpoints of completed runs (seeds averaged
// or not), the token budgets, and a checkpoint's metric: what the study kinds read.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "results/result_set.hpp"

namespace emlab::results {

struct ScalePoint {
  double params = 0, tokens = 0, flops = 0;
  double value = NAN, standard_error = NAN, n = 0;  // seeds averaged; n summed
  size_t runs = 0;
  std::string run, family;  // final_points: the run and its model family ('' for our own)
};

// The largest training-token budget among completed runs (0 when none). Budgets and curves at a
// budget leave out runs whose tokens are unknown (results/missing_facts.hpp names them).
int64_t largest_budget(const ResultSet& results);
// The distinct budgets of completed runs, ascending.
std::vector<int64_t> budgets(const ResultSet& results);

// One point per model size at the final checkpoints of completed runs trained on `tokens` (0: the
// largest budget), seeds averaged, ascending in N. Sizes without the metric are left out.
std::vector<ScalePoint> final_curve(const ResultSet& results, const std::string& task,
                                    const std::string& metric, int64_t tokens = 0);

// Every completed run's final checkpoint for the task and metric (no averaging); tokens and FLOPs
// NaN where an imported table left them blank.
std::vector<ScalePoint> final_points(const ResultSet& results, const std::string& task,
                                     const std::string& metric);

std::vector<double> values(const std::vector<ScalePoint>& points);
// The values turned so that up is better (negated for metrics where lower is better).
std::vector<double> improvement(const std::vector<ScalePoint>& points, const std::string& metric);

// A metric of one checkpoint, or null.
const store::MetricRow* find_metric(const CheckpointResults& checkpoint, const std::string& task,
                                    const std::string& metric);

// Tasks evaluated in the study (from the stored metrics), sorted.
std::vector<std::string> evaluated_tasks(const ResultSet& results);

// The (task, metric) pairs of the final checkpoints of completed runs with a value, sorted.
std::vector<std::pair<std::string, std::string>> final_task_metrics(const ResultSet& results);

}  // namespace emlab::results
