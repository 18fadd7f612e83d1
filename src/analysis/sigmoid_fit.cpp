#include "analysis/sigmoid_fit.hpp"

#include <ceres/ceres.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "analysis/ceres_logging.hpp"
#include "analysis/scaling_data.hpp"
#include "analysis/small_fit_solver.hpp"
#include "core/error.hpp"

namespace emlab::analysis {
namespace {

// θ = [floor, ceiling, midpoint, slope]
struct SigmoidResidual {
  double x, y;
  template <typename T>
  bool operator()(const T* theta, T* residual) const {
    // Clamped so a saturated start gives a zero derivative instead of inf/inf = NaN.
    T t = theta[3] * (x - theta[2]);
    if (t > T(40)) t = T(40);
    if (t < T(-40)) t = T(-40);
    residual[0] = theta[0] + (theta[1] - theta[0]) / (1.0 + exp(-t)) - y;
    return true;
  }
};

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

Theta4 solve(const std::vector<double>& x, const std::vector<double>& y,
             const std::vector<double>& weights, Theta4 theta, const SigmoidOptions& options) {
  quiet_ceres_logging();
  ceres::Problem problem;
  for (size_t i = 0; i < x.size(); ++i) {
    const double w = weights.empty() ? 1.0 : weights[i];
    if (w == 0) continue;
    problem.AddResidualBlock(
        new ceres::AutoDiffCostFunction<SigmoidResidual, 1, 4>(new SigmoidResidual{x[i], y[i]}),
        w == 1.0 ? nullptr : new ceres::ScaledLoss(nullptr, w, ceres::TAKE_OWNERSHIP),
        theta.data());
  }
  for (int k : {0, 1}) {
    problem.SetParameterLowerBound(theta.data(), k, options.lower);
    problem.SetParameterUpperBound(theta.data(), k, options.upper);
  }
  if (options.fix_floor) {
    // Holding one coordinate of the block fixed: a subset manifold.
    problem.SetManifold(theta.data(), new ceres::SubsetManifold(4, {0}));
  }
  ceres::Solver::Summary summary;
  ceres::Solve(small_fit_solver(), &problem, &summary);
  return theta;
}

Theta4 best_fit(const std::vector<double>& x, const std::vector<double>& y,
                const std::vector<double>& weights, const std::vector<Theta4>& starts,
                const SigmoidOptions& options) {
  Theta4 best{};
  double best_rss = std::numeric_limits<double>::max();
  for (const auto& start : starts) {
    const auto theta = solve(x, y, weights, start, options);
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
  require_enough_points(x.size(), options.fix_floor ? 3 : 4, "sigmoid fit");
  for (size_t i = 0; i < x.size(); ++i)
    require(std::isfinite(x[i]) && std::isfinite(y[i]), "sigmoid fit: point {} is not finite",
            i + 1);
  const auto [x_min, x_max] = std::minmax_element(x.begin(), x.end());
  const double range = std::max(*x_max - *x_min, 1e-12);
  const double floor_start = options.fix_floor
                                 ? options.floor
                                 : std::max(options.lower, *std::min_element(y.begin(), y.end()));
  const double ceiling_start = std::min(options.upper, *std::max_element(y.begin(), y.end()));
  std::vector<Theta4> starts;
  for (double where : {0.1, 0.3, 0.5, 0.7, 0.9})
    for (double steep : {-10.0, -2.0, 2.0, 10.0})
      starts.push_back({floor_start, ceiling_start, *x_min + where * range, steep / range});

  SigmoidFit fit;
  const auto best = best_fit(x, y, {}, starts, options);
  fit.params = {best[0], best[1], best[2], best[3]};
  fit.rss = rss_of(x, y, {}, best);
  fit.points = x.size();
  fit.bootstrap.resize(static_cast<size_t>(std::max(options.bootstrap_resamples, 0)));
#pragma omp parallel for schedule(dynamic, 4)
  for (int r = 0; r < options.bootstrap_resamples; ++r) {
    const auto weights = bootstrap_weights(x.size(), options.seed, static_cast<uint64_t>(r));
    // Warm start from the full-data fit plus two of the grid starts (either slope sign).
    const auto t = best_fit(x, y, weights, {best, starts[6], starts[9]}, options);
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
