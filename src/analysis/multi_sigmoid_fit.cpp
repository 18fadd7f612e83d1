#include "analysis/multi_sigmoid_fit.hpp"

#include <ceres/ceres.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "analysis/ceres_logging.hpp"
#include "analysis/scaling_data.hpp"
#include "analysis/small_fit_solver.hpp"
#include "core/error.hpp"

namespace emlab::analysis {
namespace {

// All residuals at once, θ = [w_1..w_K, b, floor, ceiling], with the analytic Jacobian: with
// s = σ(w·z + b), ∂r/∂w_j = (ceiling − floor)·s(1 − s)·z_j, ∂r/∂b = (ceiling − floor)·s(1 − s),
// ∂r/∂floor = 1 − s, ∂r/∂ceiling = s.
class Residuals final : public ceres::CostFunction {
 public:
  Residuals(const std::vector<std::vector<double>>& z, const std::vector<double>& y)
      : z_(z), y_(y) {
    set_num_residuals(int(y.size()));
    mutable_parameter_block_sizes()->push_back(int(z.front().size() + 3));
  }
  bool Evaluate(double const* const* parameters, double* residuals,
                double** jacobians) const override {
    const double* theta = parameters[0];
    const size_t k = z_.front().size(), width = k + 3;
    const double floor = theta[k + 1], ceiling = theta[k + 2];
    for (size_t i = 0; i < y_.size(); ++i) {
      double t = theta[k];
      for (size_t j = 0; j < k; ++j) t += theta[j] * z_[i][j];
      // Clamped so a saturated start has a zero derivative instead of inf/inf = NaN.
      const bool clamped = t > 40 || t < -40;
      const double s = 1.0 / (1.0 + std::exp(-std::clamp(t, -40.0, 40.0)));
      residuals[i] = floor + (ceiling - floor) * s - y_[i];
      if (jacobians == nullptr || jacobians[0] == nullptr) continue;
      double* row = jacobians[0] + i * width;
      const double slope = clamped ? 0.0 : (ceiling - floor) * s * (1 - s);
      for (size_t j = 0; j < k; ++j) row[j] = slope * z_[i][j];
      row[k] = slope;
      row[k + 1] = 1 - s;
      row[k + 2] = s;
    }
    return true;
  }

 private:
  const std::vector<std::vector<double>>& z_;
  const std::vector<double>& y_;
};

std::vector<double> pack(const MultiSigmoid& s) {
  std::vector<double> theta = s.weights;
  theta.insert(theta.end(), {s.bias, s.floor, s.ceiling});
  return theta;
}

MultiSigmoid unpack(const std::vector<double>& theta) {
  const size_t k = theta.size() - 3;
  return {{theta.begin(), theta.begin() + std::ptrdiff_t(k)}, theta[k], theta[k + 1], theta[k + 2]};
}

double rss_of(const std::vector<std::vector<double>>& z, const std::vector<double>& y,
              const MultiSigmoid& s) {
  double rss = 0;
  for (size_t i = 0; i < z.size(); ++i) {
    const double r = s.at(z[i]) - y[i];
    rss += r * r;
  }
  return std::isfinite(rss) ? rss : std::numeric_limits<double>::max();
}

// `at_bounds`: also hold a floor or ceiling that sits on its bound (see the polish below).
MultiSigmoid solve(const std::vector<std::vector<double>>& z, const std::vector<double>& y,
                   const MultiSigmoid& start, const MultiSigmoidOptions& options,
                   bool at_bounds = false) {
  quiet_ceres_logging();
  std::vector<double> theta = pack(start);
  const int size = int(theta.size()), k = size - 3;
  ceres::Problem problem;
  problem.AddResidualBlock(new Residuals(z, y), nullptr, theta.data());
  for (int j : {k + 1, k + 2}) {
    problem.SetParameterLowerBound(theta.data(), j, options.lower);
    problem.SetParameterUpperBound(theta.data(), j, options.upper);
  }
  std::vector<int> held;
  for (int j : {k + 1, k + 2}) {
    const bool bound = theta[size_t(j)] <= options.lower || theta[size_t(j)] >= options.upper;
    if ((j == k + 1 && options.fix_floor) || (at_bounds && bound)) held.push_back(j);
  }
  if (!held.empty()) problem.SetManifold(theta.data(), new ceres::SubsetManifold(size, held));
  ceres::Solver::Summary summary;
  ceres::Solve(small_fit_solver(), &problem, &summary);
  return unpack(theta);
}

}  // namespace

double MultiSigmoid::linear(const std::vector<double>& z) const {
  double t = bias;
  for (size_t j = 0; j < weights.size() && j < z.size(); ++j) t += weights[j] * z[j];
  return t;
}

double MultiSigmoid::at(const std::vector<double>& z) const {
  return floor + (ceiling - floor) / (1.0 + std::exp(-linear(z)));
}

MultiSigmoidFit fit_multi_sigmoid(const std::vector<std::vector<double>>& z,
                                  const std::vector<double>& y,
                                  const MultiSigmoidOptions& options) {
  require(z.size() == y.size(), "sigmoid fit: {} predictor rows but {} scores", z.size(), y.size());
  require(!z.empty() && !z.front().empty(), "sigmoid fit: no predictors");
  const size_t k = z.front().size();
  require_enough_points(z.size(), k + (options.fix_floor ? 2 : 3), "sigmoid fit");
  for (size_t i = 0; i < z.size(); ++i) {
    require(z[i].size() == k, "sigmoid fit: point {} has {} predictors, point 1 has {}", i + 1,
            z[i].size(), k);
    for (double v : z[i]) require(std::isfinite(v), "sigmoid fit: point {} is not finite", i + 1);
    require(std::isfinite(y[i]), "sigmoid fit: score {} is not finite", i + 1);
  }
  // Starts along each predictor in turn (a task may turn on a later component, not the first):
  // the midpoint at 5 places over its range, 4 slopes of either sign, the other weights 0.
  const auto [y_lo, y_hi] = std::minmax_element(y.begin(), y.end());
  const double floor_start =
      options.fix_floor ? options.floor : std::clamp(*y_lo, options.lower, options.upper);
  const double ceiling_start = std::clamp(*y_hi, options.lower, options.upper);
  std::vector<MultiSigmoid> grid;
  for (size_t c = 0; c < k; ++c) {
    double lo = z[0][c], hi = z[0][c];
    for (const auto& row : z) {
      lo = std::min(lo, row[c]);
      hi = std::max(hi, row[c]);
    }
    const double range = std::max(hi - lo, 1e-12);
    for (double where : {0.1, 0.3, 0.5, 0.7, 0.9})
      for (double steep : {-10.0, -2.0, 2.0, 10.0}) {
        MultiSigmoid s{std::vector<double>(k, 0.0), 0, floor_start, ceiling_start};
        s.weights[c] = steep / range;
        s.bias = -s.weights[c] * (lo + where * range);
        grid.push_back(s);
      }
  }
  std::vector<MultiSigmoid> starts = grid;
  if (options.warm_start) {
    require(options.warm_start->weights.size() == k,
            "sigmoid fit: a warm start with {} weights for {} predictors",
            options.warm_start->weights.size(), k);
    starts = {*options.warm_start, grid[6], grid[9]};  // gentle, rising and falling
    if (options.fix_floor) starts[0].floor = options.floor;
  }
  MultiSigmoidFit fit;
  fit.rss = std::numeric_limits<double>::max();
  fit.points = z.size();
  for (const MultiSigmoid& start : starts) {
    const MultiSigmoid s = solve(z, y, start, options);
    const double rss = rss_of(z, y, s);
    if (rss < fit.rss) {
      fit.rss = rss;
      fit.params = s;
    }
  }
  // Ceres's bounded Levenberg-Marquardt stalls where the best fit leans on a bound (a floor of 0:
  // its steps, projected back into the box, stop paying long before the optimum). Holding what
  // sits on its bound there and solving again finishes the job (as an active-set method would).
  for (int polish = 0; polish < 3; ++polish) {
    const MultiSigmoid s = solve(z, y, fit.params, options, true);
    const double rss = rss_of(z, y, s);
    if (!(rss < fit.rss * (1 - 1e-9))) break;
    fit.rss = rss;
    fit.params = s;
  }
  // One form of the curve, floor ≤ ceiling (as sigmoid_fit's): swapping them and negating the
  // weights and bias gives the same curve.
  MultiSigmoid& p = fit.params;
  if (!options.fix_floor && p.floor > p.ceiling) {
    std::swap(p.floor, p.ceiling);
    for (double& w : p.weights) w = -w;
    p.bias = -p.bias;
  }
  return fit;
}

}  // namespace emlab::analysis
