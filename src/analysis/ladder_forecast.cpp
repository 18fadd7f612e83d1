#include "analysis/ladder_forecast.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/error.hpp"

namespace emlab::analysis {

LadderForecast forecast_ladder(const std::string& label, const std::vector<LadderModel>& models,
                               ScaleAxis cutoff_axis, double cutoff, const LadderOptions& options) {
  std::vector<const LossPoint*> train;
  std::vector<double> train_loss, train_accuracy;
  std::vector<const LadderModel*> test;
  for (const LadderModel& m : models) {
    if (axis_value(m.scale, cutoff_axis) <= cutoff) {
      train.push_back(&m.scale);
      train_loss.push_back(m.scale.loss);
      train_accuracy.push_back(m.accuracy);
    } else {
      test.push_back(&m);
    }
  }
  const size_t needed = options.accuracy.fix_floor ? kMinLadderModels - 1 : kMinLadderModels;
  require(train.size() >= needed,
          "ladder forecast of {}: {} model(s) with {} <= {:.4g}; the two steps need at least {}",
          label, train.size(), axis_name(cutoff_axis), cutoff, needed);
  require(!test.empty(), "ladder forecast of {}: no model above the cutoff {:.4g} on {}", label,
          cutoff, axis_name(cutoff_axis));

  if (options.loss.form == "chinchilla") {
    std::set<double> budgets;
    for (const LossPoint* p : train) budgets.insert(p->tokens);
    require(budgets.size() >= 2 && train.size() >= 6,
            "ladder forecast of {}: Chinchilla's law needs ladder models on at least 2 token "
            "budgets and 6 models (has {} budget(s), {} models); fit a power law in N instead",
            label, budgets.size(), train.size());
  }

  LadderForecast out;
  out.form = options.loss.form;
  out.train_models = train.size();
  const LossPredictor step1 = fit_loss_predictor(train, options.loss);
  SigmoidOptions so = options.accuracy;
  so.bootstrap_resamples = options.loss.bootstrap_resamples;
  so.seed = options.loss.seed + 1;  // its own stream: step 1's draws must not repeat here
  so.level = options.loss.level;
  const SigmoidFit step2 = fit_sigmoid(train_loss, train_accuracy, so);
  out.loss_to_accuracy = step2.params;
  const size_t draws = std::min(step1.resampled.size(), step2.bootstrap.size());

  int covered = 0;
  for (const LadderModel* m : test) {
    LadderRow row;
    row.model = m->scale.model;
    row.scale = axis_value(m->scale, cutoff_axis);
    row.observed_loss = m->scale.loss;
    row.predicted_loss = step1.predict(m->scale);
    row.observed_accuracy = m->accuracy;
    row.predicted_accuracy = step2.params.at(row.predicted_loss);
    row.accuracy_at_observed_loss = step2.params.at(row.observed_loss);
    row.accuracy_error = row.predicted_accuracy - row.observed_accuracy;
    std::vector<double> losses, accuracies;
    for (size_t i = 0; i < draws; ++i) {
      const double loss = step1.resampled[i](m->scale);
      losses.push_back(loss);
      accuracies.push_back(step2.bootstrap[i].at(loss));
    }
    const Interval none{std::nan(""), std::nan("")};
    row.loss_interval = draws == 0 ? none : percentile_interval(losses, options.loss.level);
    row.accuracy_interval = draws == 0 ? none : percentile_interval(accuracies, options.loss.level);
    covered += row.accuracy_interval.contains(row.observed_accuracy);
    const double n = static_cast<double>(test.size());
    out.mean_abs_accuracy_error += std::abs(row.accuracy_error) / n;
    out.mean_abs_step2_error += std::abs(row.accuracy_at_observed_loss - row.observed_accuracy) / n;
    out.mean_abs_rel_loss_error += std::abs(row.predicted_loss / row.observed_loss - 1) / n;
    out.rows.push_back(row);
  }
  out.accuracy_interval_coverage = covered / static_cast<double>(test.size());
  std::stable_sort(out.rows.begin(), out.rows.end(),
                   [](const LadderRow& a, const LadderRow& b) { return a.scale < b.scale; });
  return out;
}

}  // namespace emlab::analysis
