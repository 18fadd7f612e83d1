// forecast: fit on the smaller half of a family, predict the larger half. The loss of every larger
// run from a scaling law fitted to the smaller runs (Chinchilla's L(N, D) when they vary both
// scales, else a power law in compute); a task's score from its validation loss through a sigmoid
// fitted to every checkpoint of the smaller runs (score as a function of loss, Du et al. 2024);
// chained, the score and the size at which it crosses a level for the larger models, against
// what they did.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "analysis/forecast.hpp"
#include "analysis/sigmoid_fit.hpp"
#include "results/fit_settings.hpp"
#include "results/loss_points.hpp"
#include "results/scale_points.hpp"
#include "study/study_kind.hpp"

namespace emlab::study {

namespace {

class ForecastKind final : public StudyKind {
 public:
  ForecastKind(std::string task, std::string metric, double level, double chance, int resamples)
      : task_(std::move(task)),
        metric_(std::move(metric)),
        level_(level),
        chance_(chance),
        resamples_(resamples) {}

  std::vector<std::string> tasks() const override { return {task_}; }
  std::vector<std::string> measurement_names() const override {
    return {"train_sizes",
            "held_out_runs",
            "loss_error",
            "loss_coverage",
            "score_error",
            "score_coverage",
            "crossing_predicted_params",
            "crossing_observed_params",
            "crossing_match",
            "ability_appeared"};
  }

  Measurements measure(const results::ResultSet& results) const override {
    Measurements out;
    const std::vector<analysis::LossPoint> points = results::final_loss_points(results);
    std::set<double> sizes;
    for (const auto& p : points) sizes.insert(p.params);
    const std::vector<double> ordered(sizes.begin(), sizes.end());
    const size_t train_sizes = ordered.size() / 2 + ordered.size() % 2;  // the smaller half
    out.add("train_sizes", double(train_sizes),
            "model sizes the forecast may see (the smaller half, the middle one included)");
    if (ordered.size() < 3) return out;
    const double cutoff = ordered[train_sizes - 1];

    // Loss of the larger runs.
    std::set<double> train_budgets;
    for (const auto& p : points)
      if (p.params <= cutoff) train_budgets.insert(p.tokens);
    analysis::LossForecastOptions loss_options = results::study_loss_forecast(resamples_);
    if (train_sizes < 3 || train_budgets.size() < 3) loss_options.form = "power_law";
    const analysis::LossForecast losses =
        analysis::forecast_loss(points, analysis::ScaleAxis::params, cutoff, loss_options);
    out.add("held_out_runs", double(losses.rows.size()),
            fmt::format("larger runs predicted ({} fitted to {} smaller runs)",
                        losses.form == "chinchilla" ? "L(N, D)" : "a power law in compute",
                        losses.train_points));
    out.add("loss_error", losses.mean_abs_rel_error,
            "mean |predicted/observed − 1| of the larger runs' final validation loss");
    out.add("loss_coverage", losses.interval_coverage,
            "share of them inside their prediction's 95% bootstrap interval");

    // Score as a function of loss, from every checkpoint of the smaller runs.
    std::vector<double> train_loss, train_score;
    std::map<std::string, double> observed;  // held-out run -> final score
    for (const results::RunResults& run : results.runs) {
      if (!run.completed()) continue;
      const bool train = double(run.row.plan.parameters) <= cutoff;
      for (const results::CheckpointResults& c : run.checkpoints) {
        const store::MetricRow* m = results::find_metric(c, task_, metric_);
        if (m == nullptr || !std::isfinite(c.row.validation_loss)) continue;
        if (train) {
          train_loss.push_back(c.row.validation_loss);
          train_score.push_back(m->value);
        } else if (&c == run.last()) {
          observed[run.row.plan.name] = m->value;
        }
      }
    }
    if (train_loss.size() < 5) return out;
    analysis::SigmoidOptions sigmoid_options;
    sigmoid_options.fix_floor = true;
    sigmoid_options.floor = chance_;
    sigmoid_options.bootstrap_resamples = resamples_;
    sigmoid_options.seed = 1;
    const analysis::SigmoidFit sigmoid =
        analysis::fit_sigmoid(train_loss, train_score, sigmoid_options);

    double error = 0, inside = 0, count = 0;
    std::map<double, double> predicted_at;  // params at the largest budget -> predicted score
    const double largest_budget = double(results::largest_budget(results));
    for (const auto& row : losses.rows) {
      const auto seen = observed.find(row.model);
      if (seen == observed.end()) continue;
      const double predicted = sigmoid.params.at(row.predicted);
      // Band: the sigmoid's refits at the predicted loss, with the point fit at the ends of the
      // loss interval among the samples.
      std::vector<double> samples = {sigmoid.params.at(row.interval.lower),
                                     sigmoid.params.at(row.interval.upper)};
      for (const auto& b : sigmoid.bootstrap) samples.push_back(b.at(row.predicted));
      const analysis::Interval band = analysis::percentile_interval(samples, 0.95);
      error += std::abs(predicted - seen->second);
      inside += band.contains(seen->second) ? 1 : 0;
      ++count;
      for (const auto& p : points)
        if (p.model == row.model && p.tokens == largest_budget) predicted_at[p.params] = predicted;
    }
    out.add("score_error", count > 0 ? error / count : NAN,
            fmt::format("mean |predicted − observed| {} of the larger runs (score from predicted "
                        "loss through the sigmoid in loss)",
                        metric_));
    out.add("score_coverage", count > 0 ? inside / count : NAN,
            "share of them inside the prediction's 95% band (sigmoid refits at the predicted "
            "loss, and the point sigmoid at the loss interval's ends)");

    // Where the ability crosses the level at the largest budget: predicted for larger sizes,
    // observed for the smaller ones in both.
    const auto curve = results::final_curve(results, task_, metric_);
    double predicted_cross = INFINITY, observed_cross = INFINITY;
    for (const results::ScalePoint& p : curve) {
      if (p.value >= level_) observed_cross = std::min(observed_cross, p.params);
      const double guess = p.params <= cutoff             ? p.value
                           : predicted_at.count(p.params) ? predicted_at[p.params]
                                                          : NAN;
      if (guess >= level_) predicted_cross = std::min(predicted_cross, p.params);
    }
    out.add("crossing_predicted_params", predicted_cross,
            fmt::format("smallest model at the largest budget whose {} is predicted to reach {} "
                        "(inf: none)",
                        metric_, level_));
    out.add(
        "crossing_observed_params", observed_cross,
        fmt::format("smallest model at the largest budget whose {} reached {}", metric_, level_));
    out.add("crossing_match", predicted_cross == observed_cross ? 1 : 0,
            "1 when the predicted and observed crossing sizes agree");
    out.add("ability_appeared", std::isfinite(observed_cross) ? 1 : 0,
            "1 when some model at the largest budget reached the level (else there was nothing "
            "to forecast)");
    return out;
  }

 private:
  std::string task_, metric_;
  double level_, chance_;
  int resamples_;
};

}  // namespace

std::unique_ptr<StudyKind> make_forecast_kind(io::TomlSection& analysis) {
  std::string task, metric = "exact_match";
  double level = 0.5, chance = 0;
  int resamples = 200;
  analysis.read("task", task);
  analysis.read("metric", metric);
  analysis.read("level", level);
  analysis.read("chance", chance);
  analysis.read("bootstrap_resamples", resamples);
  if (task.empty()) analysis.invalid("task", "name the task, e.g. \"add(digits=3)\"");
  if (!(level > 0 && level <= 1)) analysis.invalid("level", "expected a level in (0, 1]");
  if (resamples < 10) analysis.invalid("bootstrap_resamples", "expected at least 10");
  return std::make_unique<ForecastKind>(task, metric, level, chance, resamples);
}

}  // namespace emlab::study
