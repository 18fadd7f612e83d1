#pragma once
// Task losses for two-step ladders (Bhagia et al. 2024, arXiv:2412.04403): the metrics that
// measure how unlikely a model finds a task's answers, each turned into a loss (lower is better).
// lm-evaluation-harness reports perplexities, emlab's own evaluations the answers' log-probability.
#include <optional>
#include <string>
#include <vector>

namespace emlab::analysis {

struct TaskLossMetric {
  std::string metric;  // as stored: "ppl", "target_logprob", "bits_per_byte"...
  std::string unit;    // of the loss it becomes: "nats per answer", "bits per byte"...
};

// The metrics a task loss can be read from, in the order a ladder prefers them.
const std::vector<TaskLossMetric>& task_loss_metrics();

// The loss a metric's value stands for: ln(perplexity), −log-probability, bits per byte as they
// are; nullopt when the metric is not a task loss. Throws emlab::Error for a value the metric
// cannot take (a perplexity below 1, a positive log-probability...).
std::optional<double> task_loss_from(const std::string& metric, double value);

// The accuracy metrics a ladder's second step predicts, in the order it prefers them.
const std::vector<std::string>& ladder_accuracy_metrics();

}  // namespace emlab::analysis
