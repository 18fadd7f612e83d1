#pragma once
// Honest forecasts (SCIENCE.md, "Forecasting honestly"): fit on the smaller models (or earlier
// checkpoints) only, predict the larger ones, and report the error against what was observed.
#include <functional>
#include <string>
#include <vector>

#include "analysis/bootstrap.hpp"
#include "analysis/scaling_data.hpp"
#include "analysis/sigmoid_fit.hpp"

namespace emlab::analysis {

struct LossForecastRow {
  std::string model;
  int line = 0;
  double scale = 0;  // value on the cutoff axis
  double observed = 0, predicted = 0;
  Interval interval;          // bootstrap percentile interval of the prediction
  double relative_error = 0;  // predicted/observed − 1
};

struct LossForecast {
  std::string form;  // "chinchilla" or "power_law"
  ScaleAxis cutoff_axis = ScaleAxis::flops;
  double cutoff = 0;
  size_t train_points = 0;
  std::vector<LossForecastRow> rows;  // the held-out (larger) points
  double mean_abs_rel_error = 0, max_abs_rel_error = 0;
  double interval_coverage = 0;  // share of held-out observations inside their interval
};

struct LossForecastOptions {
  std::string form = "chinchilla";  // or "power_law" (over power_law_axis)
  ScaleAxis power_law_axis = ScaleAxis::flops;
  int bootstrap_resamples = 1000;
  uint64_t seed = 0;
  double level = 0.95;
  bool full_grid = true;  // Chinchilla: the 4,500-start grid (else a 32-start coarse grid)
};

// A loss law fitted to some points (the form of LossForecastOptions): the point estimate and one
// predictor per bootstrap refit (the refits' order is the bootstrap's, so draws can be paired).
struct LossPredictor {
  std::function<double(const LossPoint&)> predict;
  std::vector<std::function<double(const LossPoint&)>> resampled;
};
LossPredictor fit_loss_predictor(const std::vector<const LossPoint*>& train,
                                 const LossForecastOptions& options);

// Train on points with axis value ≤ cutoff, predict the rest.
LossForecast forecast_loss(const std::vector<LossPoint>& points, ScaleAxis cutoff_axis,
                           double cutoff, const LossForecastOptions& options);

struct AbilityForecast {
  std::string label;
  double level = 0;   // the performance level whose crossing is forecast
  double cutoff = 0;  // on x; training points are those on the small-model side
  size_t train_points = 0;
  double predicted_crossing = 0;  // x where the fitted sigmoid reaches `level` (NaN: never)
  Interval predicted_interval;    // over bootstrap refits that reach it
  double observed_crossing = 0;   // first crossing in all the data, linearly interpolated
  double crossing_error = 0;      // predicted − observed
  std::vector<double> held_out_x, held_out_observed, held_out_predicted;
};

// x: log10(scale) increasing with model size, or loss (decreasing with size; then the "small-model
// side" is x ≥ cutoff). y: the metric. The sigmoid's floor may be fixed at chance via options.
AbilityForecast forecast_ability(const std::string& label, const std::vector<double>& x,
                                 const std::vector<double>& y, bool x_is_loss, double cutoff,
                                 double level, const SigmoidOptions& options);

// First x at which y (ordered from small model to large) reaches `level`, interpolated; NaN if
// never.
double first_crossing(const std::vector<double>& x, const std::vector<double>& y, double level);

}  // namespace emlab::analysis
