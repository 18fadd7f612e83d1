#include "analysis/task_loss.hpp"

#include <cmath>

#include "core/error.hpp"

namespace emlab::analysis {

const std::vector<TaskLossMetric>& task_loss_metrics() {
  static const std::vector<TaskLossMetric> metrics = {
      {"target_logprob", "nats per answer"},
      {"ppl", "nats per answer"},
      {"perplexity", "nats per answer"},
      {"word_perplexity", "nats per word"},
      {"byte_perplexity", "nats per byte"},
      {"bits_per_byte", "bits per byte"},
      {"loss", "as stored"},
      {"nll", "as stored"},
  };
  return metrics;
}

std::optional<double> task_loss_from(const std::string& metric, double value) {
  require(std::isfinite(value), "task loss: {} is not a finite number", metric);
  if (metric == "target_logprob") {
    require(value <= 0, "task loss: target_logprob {} is a log-probability, so at most 0", value);
    return -value;
  }
  if (metric == "ppl" || metric == "perplexity" || metric == "word_perplexity" ||
      metric == "byte_perplexity") {
    require(value >= 1, "task loss: {} {} is a perplexity, so at least 1", metric, value);
    return std::log(value);
  }
  if (metric == "bits_per_byte" || metric == "loss" || metric == "nll") {
    require(value >= 0, "task loss: {} {} is a loss, so at least 0", metric, value);
    return value;
  }
  return std::nullopt;
}

const std::vector<std::string>& ladder_accuracy_metrics() {
  static const std::vector<std::string> metrics = {"exact_match", "acc", "mc_grade", "acc_norm",
                                                   "score"};
  return metrics;
}

}  // namespace emlab::analysis
