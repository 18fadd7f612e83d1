// scaling (Hoffmann et al. 2022): Chinchilla's L(N, D) = E + A/N^α + B/D^β fitted to the final
// checkpoints of our own family, the compute-optimal exponent and tokens per parameter with
// bootstrap intervals, and the error of a fit that left out the runs of largest compute.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "analysis/chinchilla_fit.hpp"
#include "analysis/compute_optimal.hpp"
#include "analysis/forecast.hpp"
#include "analysis/lse_huber_fit.hpp"
#include "analysis/power_law_fit.hpp"
#include "results/fit_settings.hpp"
#include "results/loss_points.hpp"
#include "results/scale_points.hpp"
#include "study/simulated_design.hpp"
#include "study/study_kind.hpp"

namespace emlab::study {

namespace {

class ScalingKind final : public StudyKind {
 public:
  ScalingKind(int resamples, double held_out_share, bool full_grid = true)
      : resamples_(resamples), held_out_share_(held_out_share), full_grid_(full_grid) {}

  // Simulations fit from the 32-start grid with 10 resamples: the rule reads point estimates only.
  std::shared_ptr<const StudyKind> for_simulation() const override {
    return std::make_shared<ScalingKind>(10, held_out_share_, false);
  }

  std::optional<SimulatedEffects> simulated_effects() const override {
    return SimulatedEffects{
        "final losses follow L = E + A/N^α + B/D^β with E ~ U(0.3, 0.8), α ~ U(0.25, 0.45), "
        "β ~ U(0.25, 0.45), A and B set so each term spans about 1 nat over the design, seed "
        "noise 0.02 nats. Simulations fit from 32 starts with 10 resamples",
        "no power law in data: losses fall with N as above, but the data term is a step (the "
        "smallest budget 0.5 nats worse, the others equal), as a task learned in steps gives"};
  }

  void simulate(results::ResultSet& planned, Effect effect, Rng& rng) const override {
    double n_low = INFINITY, d_low = INFINITY;
    for (const results::RunResults& run : planned.runs) {
      n_low = std::min(n_low, double(run.row.plan.parameters));
      d_low = std::min(d_low, double(run.row.plan.tokens));
    }
    const double e = 0.3 + 0.5 * rng.uniform(), alpha = 0.25 + 0.2 * rng.uniform(),
                 beta = 0.25 + 0.2 * rng.uniform();
    // Each term is 1 nat at the smallest N (or D) of the design.
    const double a = std::pow(n_low, alpha), b = std::pow(d_low, beta);
    for (results::RunResults& run : planned.runs) {
      const double n = double(run.row.plan.parameters), d = double(run.row.plan.tokens);
      const double data_term =
          effect == Effect::kPresent ? b / std::pow(d, beta) : (d <= d_low ? 0.5 : 0.0);
      run.checkpoints.back().row.validation_loss =
          e + a / std::pow(n, alpha) + data_term + 0.02 * rng.normal();
    }
  }

  std::vector<std::string> tasks() const override { return {}; }
  std::vector<std::string> measurement_names() const override {
    return {"runs",
            "sizes",
            "budgets",
            "alpha",
            "beta",
            "params_exponent",
            "tokens_per_param",
            "alpha_n",
            "beta_d",
            "held_out_runs",
            "held_out_error",
            "held_out_error_nats",
            "held_out_coverage"};
  }

  Measurements measure(const results::ResultSet& results) const override {
    const std::vector<analysis::LossPoint> points = results::final_loss_points(results);
    std::set<double> sizes, budgets;
    for (const auto& p : points) {
      sizes.insert(p.params);
      budgets.insert(p.tokens);
    }
    Measurements out;
    out.add("runs", double(points.size()), "completed runs with a final validation loss");
    out.add("sizes", double(sizes.size()), "distinct model sizes N among them");
    out.add("budgets", double(budgets.size()), "distinct token budgets D among them");
    if (points.size() < 6 || sizes.size() < 3 || budgets.size() < 3) return out;

    const analysis::ChinchillaFit fit = analysis::fit_chinchilla(points, chinchilla_options());
    out.add("alpha", fit.params.alpha, "α of A/N^α (95% bootstrap interval over runs)",
            fit.alpha.interval.lower, fit.alpha.interval.upper);
    out.add("beta", fit.params.beta, "β of B/D^β", fit.beta.interval.lower,
            fit.beta.interval.upper);
    const analysis::Estimate a = analysis::params_exponent(fit, 0.95);
    out.add("params_exponent", a.value, "a of N_opt ∝ C^a, a = β/(α + β)", a.interval.lower,
            a.interval.upper);
    add_one_variable_laws(points, out);
    double largest = 0;
    for (const auto& p : points) largest = std::max(largest, 6 * p.params * p.tokens);
    const auto optimal = analysis::compute_optimal_estimate(fit, 100 * largest, 0.95);
    out.add("tokens_per_param", optimal.tokens_per_param.value,
            fmt::format("compute-optimal D/N at 100× the study's largest C = 6ND ({:.3g} FLOPs)",
                        100 * largest),
            optimal.tokens_per_param.interval.lower, optimal.tokens_per_param.interval.upper);

    // Hold out the runs of largest compute, fit the rest, predict them.
    std::vector<double> compute;
    for (const auto& p : points) compute.push_back(p.params * p.tokens);
    std::sort(compute.begin(), compute.end());
    const size_t keep =
        std::max<size_t>(6, size_t(std::lround(double(points.size()) * (1 - held_out_share_))));
    if (keep >= points.size()) return out;
    std::vector<analysis::LossPoint> by_nd = points;
    for (auto& p : by_nd) p.flops = p.params * p.tokens;  // cut on 6ND/6, the fit's own scale
    const analysis::LossForecast f = analysis::forecast_loss(
        by_nd, analysis::ScaleAxis::flops, compute[keep - 1], loss_forecast_options());
    out.add("held_out_runs", double(f.rows.size()),
            fmt::format("runs of largest compute left out of a second fit on the other {}",
                        f.train_points));
    out.add("held_out_error", f.mean_abs_rel_error,
            "mean |predicted/observed − 1| of their final loss");
    double nats = 0;
    for (const auto& row : f.rows) nats += std::abs(row.predicted - row.observed);
    out.add("held_out_error_nats", f.rows.empty() ? NAN : nats / double(f.rows.size()),
            "mean |predicted − observed| of their final loss, in nats");
    out.add("held_out_coverage", f.interval_coverage,
            "share of them inside their prediction's 95% bootstrap interval");
    return out;
  }

 private:
  // Kaplan's one-variable laws L = E + A/X^γ: over the sizes at the largest budget (α of L(N)),
  // and over the budgets at the largest size (β of L(D)); with 4 points or more only, as each
  // has three parameters.
  void add_one_variable_laws(const std::vector<analysis::LossPoint>& points,
                             Measurements& out) const {
    double top_n = 0, top_d = 0;
    for (const auto& p : points) {
      top_n = std::max(top_n, p.params);
      top_d = std::max(top_d, p.tokens);
    }
    std::vector<double> n, n_loss, d, d_loss;
    for (const auto& p : points) {
      if (p.tokens == top_d) {
        n.push_back(p.params);
        n_loss.push_back(p.loss);
      }
      if (p.params == top_n) {
        d.push_back(p.tokens);
        d_loss.push_back(p.loss);
      }
    }
    const auto fit_exponent = [&](const char* name, const std::vector<double>& x,
                                  const std::vector<double>& loss, const std::string& what) {
      if (x.size() < 4) return;
      const auto fit = analysis::fit_power_law(x, loss, results::study_power_law(resamples_));
      out.add(name, fit.params.alpha, what, fit.alpha.interval.lower, fit.alpha.interval.upper);
    };
    fit_exponent("alpha_n", n, n_loss,
                 fmt::format("α of L(N) = E + A/N^α alone, over the {} sizes at the largest budget",
                             n.size()));
    fit_exponent("beta_d", d, d_loss,
                 fmt::format("β of L(D) = E + B/D^β alone, over the {} budgets at the largest size",
                             d.size()));
  }

  analysis::ChinchillaOptions chinchilla_options() const {
    analysis::ChinchillaOptions options = results::study_chinchilla(resamples_);
    if (!full_grid_) options.starts = analysis::coarse_grid(2);
    return options;
  }
  analysis::LossForecastOptions loss_forecast_options() const {
    analysis::LossForecastOptions options = results::study_loss_forecast(resamples_);
    options.full_grid = full_grid_;
    return options;
  }

  int resamples_;
  double held_out_share_;
  bool full_grid_;
};

}  // namespace

std::unique_ptr<StudyKind> make_scaling_kind(io::TomlSection& analysis) {
  int resamples = 200;
  double held_out = 0.25;
  analysis.read("bootstrap_resamples", resamples);
  analysis.read("held_out_share", held_out);
  if (resamples < 10) analysis.invalid("bootstrap_resamples", "expected at least 10");
  if (!(held_out > 0 && held_out < 1)) analysis.invalid("held_out_share", "expected (0, 1)");
  return std::make_unique<ScalingKind>(resamples, held_out);
}

}  // namespace emlab::study
