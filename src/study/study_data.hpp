#pragma once
// What the study kinds read from a study database: the runs of one arm, and task × metric curves
// over model size at the final checkpoints (seeds averaged), or over every checkpoint.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "report/study.hpp"

namespace emlab::study {

// The runs whose names start with "prefix-" (every run when prefix is empty).
report::Study select_arm(const report::Study& study, const std::string& prefix);

struct ScalePoint {
  double params = 0, tokens = 0, flops = 0;
  double value = NAN, standard_error = NAN, n = 0;  // seeds averaged; n summed
  size_t runs = 0;
};

// The largest training-token budget among completed runs (0 when none).
int64_t largest_budget(const report::Study& study);
// The distinct budgets of completed runs, ascending.
std::vector<int64_t> budgets(const report::Study& study);

// One point per model size at the final checkpoints of completed runs trained on `tokens` (0: the
// largest budget), seeds averaged, ascending in N. Sizes without the metric are left out.
std::vector<ScalePoint> final_curve(const report::Study& study, const std::string& task,
                                    const std::string& metric, int64_t tokens = 0);

// Every completed run's final checkpoint for the task and metric (no averaging).
std::vector<ScalePoint> final_points(const report::Study& study, const std::string& task,
                                     const std::string& metric);

std::vector<double> values(const std::vector<ScalePoint>& points);
// The values turned so that up is better (negated for metrics where lower is better).
std::vector<double> improvement(const std::vector<ScalePoint>& points, const std::string& metric);

// A metric of one checkpoint, or null.
const store::MetricRow* find_metric(const report::StudyCheckpoint& checkpoint,
                                    const std::string& task, const std::string& metric);

// Mean tokens one training example of the mixture takes in a packed row (<bos>, prompt and
// answer), over 2,000 seeded draws per task.
double mean_example_tokens(const std::vector<std::string>& task_specs);

// Tasks evaluated in the study (from the stored metrics), sorted.
std::vector<std::string> evaluated_tasks(const report::Study& study);

}  // namespace emlab::study
