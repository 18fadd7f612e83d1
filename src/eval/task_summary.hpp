#pragma once
// Aggregates of every metric over the records of one task: mean, bootstrap interval, standard
// error, n and the resolution 1/n, the chance level where one exists, and a flag for scores worse
// than chance. Each metric is averaged over the records that carry its group, so its n may be
// smaller than the task's record count (e.g. a mixed set of generation and multiple-choice items).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eval/bootstrap.hpp"
#include "eval/example_metrics.hpp"
#include "eval/record.hpp"

namespace emlab::eval {

struct SummaryOptions {
  ScoreOptions scoring;
  BootstrapOptions bootstrap;
};

struct MetricSummary {
  std::string name;        // e.g. "exact_match", "pass@10"
  bool continuous = true;  // false: a 0/1 (or tie-fraction) step of the model's probabilities
  bool higher_is_better = true;
  MeanEstimate estimate;
  std::optional<double> chance;  // mean chance level over the contributing records
  bool worse_than_chance = false;
  size_t censored = 0;  // PassUntil rows: records whose sampling hit the cap before r passes
};

struct TaskSummary {
  std::string task;
  size_t records = 0;
  SummaryOptions options;
  // In a fixed order: generation (then position_product, eval/position_accuracy.hpp), likelihood,
  // choice, sampled.
  std::vector<MetricSummary> metrics;
  // The row of that name; throws emlab::Error listing the rows when there is none.
  const MetricSummary& metric(std::string_view name) const;
};

// Scores every record (score_example) and aggregates. Requires at least one record, and every
// record's task name equal to the first's.
// The names of the metric rows summarise_task can produce, in its order.
std::vector<std::string> metric_names(const SummaryOptions& options = {});

// Whether a larger value of the named metric is better (false for edit distance and the Brier
// score, and the perplexities and Brier scores of imported evaluations); names it does not know,
// pass@k and PassUntil rows included, count as higher-is-better.
bool metric_higher_is_better(std::string_view name);

TaskSummary summarise_task(const std::vector<ExampleRecord>& records,
                           const SummaryOptions& options = {});

}  // namespace emlab::eval
