#pragma once
// Two-step ladders (Bhagia et al. 2024, arXiv:2412.04403, OLMo): small "ladder" models give a law
// from (N, D) to a task's loss, and a sigmoid from that loss to the task's accuracy. Chained, they
// predict a larger model's accuracy before it is trained; the backtest compares with what the
// larger models scored.
#include <string>
#include <vector>

#include "analysis/bootstrap.hpp"
#include "analysis/forecast.hpp"
#include "analysis/scaling_data.hpp"
#include "analysis/sigmoid_fit.hpp"

namespace emlab::analysis {

// One model (or checkpoint) with its scale, its loss on the task and its accuracy on it.
struct LadderModel {
  LossPoint scale;  // model, N, D, C; `loss` holds the task loss
  double accuracy = 0;
};

struct LadderOptions {
  LossForecastOptions loss;  // step 1: the form, bootstrap resamples, seed and level
  SigmoidOptions accuracy;   // step 2: floor (chance) and bounds; resamples and seed as step 1's
};

struct LadderRow {
  std::string model;
  double scale = 0;  // on the cutoff axis
  double observed_loss = 0, predicted_loss = 0;
  Interval loss_interval;
  double observed_accuracy = 0, predicted_accuracy = 0;
  Interval accuracy_interval;  // step 1's and step 2's bootstrap refits, paired draw by draw
  double accuracy_error = 0;   // predicted − observed
  // Step 2 alone: the sigmoid at the observed loss, which tells which step a miss comes from.
  double accuracy_at_observed_loss = 0;
};

struct LadderForecast {
  std::string form;  // step 1's law
  size_t train_models = 0;
  SigmoidParams loss_to_accuracy;  // step 2, fitted on the ladder models
  std::vector<LadderRow> rows;     // the models above the cutoff, smallest first
  double mean_abs_accuracy_error = 0;
  double mean_abs_step2_error = 0;     // of accuracy_at_observed_loss
  double mean_abs_rel_loss_error = 0;  // |predicted/observed − 1| of the task loss
  double accuracy_interval_coverage = 0;
};

// The fewest ladder models a forecast fits: the sigmoid has four parameters (three with the
// floor fixed) and needs one more point than that.
inline constexpr size_t kMinLadderModels = 5;

// Fits both steps on the models with value on cutoff_axis ≤ cutoff and predicts the others.
// Throws emlab::Error naming `label` when either side of the cutoff is empty or too small.
LadderForecast forecast_ladder(const std::string& label, const std::vector<LadderModel>& models,
                               ScaleAxis cutoff_axis, double cutoff, const LadderOptions& options);

}  // namespace emlab::analysis
