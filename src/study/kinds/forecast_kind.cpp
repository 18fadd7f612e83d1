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
#include "study/simulated_design.hpp"
#include "study/study_kind.hpp"

namespace emlab::study {

namespace {

class ForecastKind final : public StudyKind {
 public:
  ForecastKind(std::string task, std::string metric, double level, double chance, int resamples,
               bool full_grid = true)
      : task_(std::move(task)),
        metric_(std::move(metric)),
        level_(level),
        chance_(chance),
        resamples_(resamples),
        full_grid_(full_grid) {}

  // Simulations fit L(N, D) from the 32-start grid, not 4,500 starts, with 10 bootstrap
  // resamples: a forecast costs 7 s at full settings, and the rule reads no interval.
  std::shared_ptr<const StudyKind> for_simulation() const override {
    return std::make_shared<ForecastKind>(task_, metric_, level_, chance_, 10, false);
  }

  std::vector<std::string> tasks() const override { return {task_}; }
  std::vector<std::string> measurement_names() const override {
    return {"train_sizes",
            "held_out_runs",
            "loss_error",
            "loss_relative_error",
            "loss_coverage",
            "score_error",
            "score_coverage",
            "crossing_predicted_params",
            "crossing_observed_params",
            "crossing_match",
            "crossing_held_out",
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
    loss_options.full_grid = full_grid_;
    if (train_sizes < 3 || train_budgets.size() < 3) loss_options.form = "power_law";
    const analysis::LossForecast losses =
        analysis::forecast_loss(points, analysis::ScaleAxis::params, cutoff, loss_options);
    out.add("held_out_runs", double(losses.rows.size()),
            fmt::format("larger runs predicted ({} fitted to {} smaller runs)",
                        losses.form == "chinchilla" ? "L(N, D)" : "a power law in compute",
                        losses.train_points));
    double nats = 0;
    for (const auto& row : losses.rows) nats += std::abs(row.predicted - row.observed);
    out.add("loss_error", losses.rows.empty() ? NAN : nats / double(losses.rows.size()),
            "mean |predicted − observed| of the larger runs' final validation loss, in nats");
    out.add("loss_relative_error", losses.mean_abs_rel_error,
            "mean |predicted/observed − 1| of the same");
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
    // Only a crossing among the held-out sizes tests the forecast: one among the fitted sizes is
    // the observation compared with itself, and none at all leaves nothing to predict.
    const bool held_out_crossing = std::isfinite(observed_cross) && observed_cross > cutoff;
    out.add("crossing_held_out", held_out_crossing ? 1 : 0,
            "1 when the observed crossing lies among the held-out (larger) sizes");
    out.add("crossing_match", held_out_crossing ? (predicted_cross == observed_cross ? 1 : 0) : NAN,
            "1 when the predicted and observed crossing sizes agree (measured only when the "
            "observed crossing lies among the held-out sizes)");
    out.add("ability_appeared", std::isfinite(observed_cross) ? 1 : 0,
            "1 when some model at the largest budget reached the level (else there was nothing "
            "to forecast)");
    return out;
  }

  std::optional<SimulatedEffects> simulated_effects() const override {
    return SimulatedEffects{
        "every run's validation loss follows one law L = 0.2 + 30/N^0.3 + 40/D^0.35 (D its "
        "tokens so far; seed noise 0.02 nats), and the score is one sigmoid in loss (midpoint "
        "~ U(1.0, 1.3) nats, scale 0.08), as proportions over the design's examples",
        "the larger half departs from what the smaller half shows, in one of two ways (half the "
        "simulations each): its loss bends away from the law (0.1 nats higher per doubling of N "
        "beyond the fitted sizes), or its score needs 0.2 nats less loss than the smaller "
        "models'. Simulations fit L(N, D) from 32 starts (not 4,500) with 10 resamples"};
  }

  void simulate(results::ResultSet& planned, Effect effect, Rng& rng) const override {
    const bool bend = effect == Effect::kAbsent && rng.uniform() < 0.5;
    const bool shift = effect == Effect::kAbsent && !bend;
    const double midpoint = 1.0 + 0.3 * rng.uniform();
    std::vector<double> sizes;
    for (const results::RunResults& run : planned.runs)
      sizes.push_back(double(run.row.plan.parameters));
    std::sort(sizes.begin(), sizes.end());
    sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
    const double cutoff = sizes[(sizes.size() + 1) / 2 - 1];  // the measure's smaller half
    for (results::RunResults& run : planned.runs) {
      const double n_params = double(run.row.plan.parameters);
      const bool larger = n_params > cutoff;
      const double seed_noise = 0.02 * rng.normal();
      const int64_t n = evaluated_examples(run);
      for (results::CheckpointResults& c : run.checkpoints) {
        const double tokens = std::max(1.0, double(c.row.tokens));
        double loss = 0.2 + 30 / std::pow(n_params, 0.3) + 40 / std::pow(tokens, 0.35) + seed_noise;
        if (bend && larger) loss += 0.1 * std::log2(n_params / cutoff);
        c.row.validation_loss = loss;
        const double centre = midpoint + (shift && larger ? -0.2 : 0.0);
        const double p = chance_ + (1 - chance_) / (1 + std::exp((loss - centre) / 0.08));
        c.metrics.push_back(proportion_row(task_, metric_, sample_proportion(p, n, rng), n));
      }
    }
  }

 private:
  std::string task_, metric_;
  double level_, chance_;
  int resamples_;
  bool full_grid_;
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
