#include "analysis/sigmoid_fit.hpp"

#include <ceres/ceres.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include "analysis/ceres_logging.hpp"
#include "analysis/scaling_data.hpp"
#include "analysis/sigmoid_cost.hpp"
#include "analysis/sigmoid_refit.hpp"
#include "analysis/small_fit_solver.hpp"
#include "core/error.hpp"

namespace emlab::analysis {
namespace {

using Theta4 = std::array<double, 4>;

double rss_of(const std::vector<double>& x, const std::vector<double>& y,
              const std::vector<double>& weights, const Theta4& t) {
  const SigmoidParams p{t[0], t[1], t[2], t[3]};
  double rss = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const double r = p.at(x[i]) - y[i];
    rss += (weights.empty() ? 1.0 : weights[i]) * r * r;
  }
  return std::isfinite(rss) ? rss : std::numeric_limits<double>::max();
}

// floor + (ceiling − floor)·σ(slope·(x − m)) is the same curve with floor and ceiling swapped
// and the slope negated. One form, floor ≤ ceiling, so that fits from starts of either slope sign
// (and bootstrap refits) report the same parameters.
Theta4 canonical(Theta4 t, const SigmoidOptions& options) {
  if (!options.fix_floor && !options.fix_ceiling && t[0] > t[1]) {
    std::swap(t[0], t[1]);
    t[3] = -t[3];
  }
  return t;
}

Theta4 solve(const std::vector<double>& x, const std::vector<double>& y,
             const std::vector<double>& weights, Theta4 theta, const SigmoidOptions& options) {
  quiet_ceres_logging();
  ceres::Problem problem;
  std::vector<double> xs, ys, scale;
  for (size_t i = 0; i < x.size(); ++i) {
    const double w = weights.empty() ? 1.0 : weights[i];
    if (w == 0) continue;
    xs.push_back(x[i]);
    ys.push_back(y[i]);
    scale.push_back(std::sqrt(w));
  }
  if (xs.empty()) return theta;
  problem.AddResidualBlock(new SigmoidCost(std::move(xs), std::move(ys), std::move(scale)), nullptr,
                           theta.data());
  for (int k : {0, 1}) {
    problem.SetParameterLowerBound(theta.data(), k, options.lower);
    problem.SetParameterUpperBound(theta.data(), k, options.upper);
  }
  // Holding coordinates of the block fixed: a subset manifold.
  std::vector<int> fixed;
  if (options.fix_floor) fixed.push_back(0);
  if (options.fix_ceiling) fixed.push_back(1);
  if (!fixed.empty()) problem.SetManifold(theta.data(), new ceres::SubsetManifold(4, fixed));
  ceres::Solver::Summary summary;
  ceres::Solve(small_fit_solver(), &problem, &summary);
  return canonical(theta, options);
}

// The point fit from every start, the starts solved in parallel (each on its own; the first best
// in the starts' order wins, as a serial loop would choose).
Theta4 best_fit(const std::vector<double>& x, const std::vector<double>& y,
                const std::vector<double>& weights, const std::vector<Theta4>& starts,
                const SigmoidOptions& options) {
  std::vector<Theta4> solved(starts.size());
  std::vector<double> rss(starts.size());
#pragma omp parallel for schedule(dynamic)
  for (int i = 0; i < static_cast<int>(starts.size()); ++i) {
    const auto k = static_cast<size_t>(i);
    solved[k] = solve(x, y, weights, starts[k], options);
    rss[k] = rss_of(x, y, weights, solved[k]);
  }
  Theta4 best{};
  double best_rss = std::numeric_limits<double>::max();
  for (size_t k = 0; k < starts.size(); ++k) {
    if (rss[k] < best_rss) {
      best_rss = rss[k];
      best = solved[k];
    }
  }
  return best;
}

// A bootstrap refit: the light solver from each start (Ceres only if it ends on a non-number); the
// best of the starts by the resample's weighted least squares.
Theta4 best_refit(const std::vector<double>& x, const std::vector<double>& y,
                  const std::vector<double>& weights, const std::vector<Theta4>& starts,
                  const SigmoidOptions& options) {
  SigmoidPoints points;
  for (size_t i = 0; i < x.size(); ++i) {
    if (weights[i] == 0) continue;
    points.x.push_back(x[i]);
    points.y.push_back(y[i]);
    points.scale.push_back(std::sqrt(weights[i]));
  }
  SigmoidBox box;
  box.fixed = {options.fix_floor, options.fix_ceiling, false, false};
  box.lower = options.lower;
  box.upper = options.upper;
  Theta4 best{};
  double best_rss = std::numeric_limits<double>::max();
  for (const auto& start : starts) {
    const auto light =
        points.x.empty() ? std::optional<Theta4>(start) : refit_sigmoid_light(points, start, box);
    const auto theta = light ? canonical(*light, options) : solve(x, y, weights, start, options);
    const double rss = rss_of(x, y, weights, theta);
    if (rss < best_rss) {
      best_rss = rss;
      best = theta;
    }
  }
  return best;
}

}  // namespace

double SigmoidParams::at(double x) const {
  return floor + (ceiling - floor) / (1.0 + std::exp(-slope * (x - midpoint)));
}

double SigmoidParams::crossing(double level) const {
  const double fraction = (level - floor) / (ceiling - floor);
  if (!(fraction > 0 && fraction < 1) || slope == 0) return std::nan("");
  return midpoint + std::log(fraction / (1 - fraction)) / slope;
}

SigmoidFit fit_sigmoid(const std::vector<double>& x, const std::vector<double>& y,
                       const SigmoidOptions& options) {
  require(x.size() == y.size(), "sigmoid fit: {} x values but {} y values", x.size(), y.size());
  require_enough_points(x.size(), 4 - (options.fix_floor ? 1 : 0) - (options.fix_ceiling ? 1 : 0),
                        "sigmoid fit");
  for (size_t i = 0; i < x.size(); ++i)
    require(std::isfinite(x[i]) && std::isfinite(y[i]), "sigmoid fit: point {} is not finite",
            i + 1);
  const auto [x_min, x_max] = std::minmax_element(x.begin(), x.end());
  const double range = std::max(*x_max - *x_min, 1e-12);
  const double floor_start = options.fix_floor
                                 ? options.floor
                                 : std::max(options.lower, *std::min_element(y.begin(), y.end()));
  const double ceiling_start = options.fix_ceiling
                                   ? options.ceiling
                                   : std::min(options.upper, *std::max_element(y.begin(), y.end()));
  require(options.start_positions >= 1, "sigmoid fit: expected at least 1 start position, got {}",
          options.start_positions);
  std::vector<Theta4> starts;
  for (int i = 0; i < options.start_positions; ++i) {
    const double where = (i + 0.5) / options.start_positions;  // 5: 0.1, 0.3, ..., 0.9
    for (double steep : {-10.0, -2.0, 2.0, 10.0})
      starts.push_back({floor_start, ceiling_start, *x_min + where * range, steep / range});
  }
  // Bootstrap refits start from the full fit and from one gentle start of either slope sign.
  const size_t middle = size_t(options.start_positions / 2) * 4;
  const Theta4 rising = starts.size() > 9 ? starts[6] : starts[middle + 2];
  const Theta4 falling = starts.size() > 9 ? starts[9] : starts[middle + 1];

  SigmoidFit fit;
  const auto best = best_fit(x, y, {}, starts, options);
  fit.params = {best[0], best[1], best[2], best[3]};
  fit.rss = rss_of(x, y, {}, best);
  fit.points = x.size();
  fit.bootstrap.resize(static_cast<size_t>(std::max(options.bootstrap_resamples, 0)));
#pragma omp parallel for schedule(dynamic, 4)
  for (int r = 0; r < options.bootstrap_resamples; ++r) {
    const auto weights = bootstrap_weights(x.size(), options.seed, static_cast<uint64_t>(r));
    const auto t = best_refit(x, y, weights, {best, rising, falling}, options);
    fit.bootstrap[static_cast<size_t>(r)] = {t[0], t[1], t[2], t[3]};
  }
  using P = SigmoidParams;
  fit.floor = field_estimate(fit.params, fit.bootstrap, &P::floor, options.level);
  fit.ceiling = field_estimate(fit.params, fit.bootstrap, &P::ceiling, options.level);
  fit.midpoint = field_estimate(fit.params, fit.bootstrap, &P::midpoint, options.level);
  fit.slope = field_estimate(fit.params, fit.bootstrap, &P::slope, options.level);
  return fit;
}

}  // namespace emlab::analysis
