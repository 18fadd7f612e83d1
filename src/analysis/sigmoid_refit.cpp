#include "analysis/sigmoid_refit.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>

#include "analysis/sigmoid_cost.hpp"
#include "analysis/small_fit_solver.hpp"

namespace emlab::analysis {
namespace {

using Theta4 = std::array<double, 4>;

// ½ Σ r², and when asked its gradient Jᵀr and Gauss-Newton matrix JᵀJ.
struct Linearisation {
  double cost = 0;
  Eigen::Vector4d gradient = Eigen::Vector4d::Zero();
  Eigen::Matrix4d normal = Eigen::Matrix4d::Zero();
};

Linearisation linearise(const SigmoidPoints& points, const Theta4& t, bool derivatives) {
  Linearisation l;
  Eigen::Vector4d row;
  for (size_t i = 0; i < points.x.size(); ++i) {
    const double r = sigmoid_residual(t.data(), points.x[i], points.y[i], points.scale[i],
                                      derivatives ? row.data() : nullptr);
    l.cost += 0.5 * r * r;
    if (!derivatives) continue;
    l.gradient += r * row;
    l.normal.noalias() += row * row.transpose();
  }
  return l;
}

// Solves A x = b for a symmetric positive definite 4x4 A by Cholesky, written out: Eigen's
// general LLT spent more time on these tiny systems than the residuals did. False when A is not
// numerically positive definite.
bool solve_spd4(const Eigen::Matrix4d& a, const Eigen::Vector4d& b, Eigen::Vector4d* x) {
  double l[4][4] = {};
  for (int j = 0; j < 4; ++j) {
    double d = a(j, j);
    for (int k = 0; k < j; ++k) d -= l[j][k] * l[j][k];
    if (!(d > 0)) return false;
    l[j][j] = std::sqrt(d);
    for (int i = j + 1; i < 4; ++i) {
      double v = a(i, j);
      for (int k = 0; k < j; ++k) v -= l[i][k] * l[j][k];
      l[i][j] = v / l[j][j];
    }
  }
  double z[4];
  for (int i = 0; i < 4; ++i) {
    double v = b[i];
    for (int k = 0; k < i; ++k) v -= l[i][k] * z[k];
    z[i] = v / l[i][i];
  }
  for (int i = 3; i >= 0; --i) {
    double v = z[i];
    for (int k = i + 1; k < 4; ++k) v -= l[k][i] * (*x)[k];
    (*x)[i] = v / l[i][i];
  }
  return true;
}

Theta4 project(Theta4 t, const SigmoidBox& box) {
  for (size_t k : {0u, 1u}) t[k] = std::clamp(t[k], box.lower, box.upper);
  return t;
}

bool finite(const Theta4& t) {
  return std::all_of(t.begin(), t.end(), [](double v) { return std::isfinite(v); });
}

}  // namespace

std::optional<Theta4> refit_sigmoid_light(const SigmoidPoints& points, Theta4 start,
                                          const SigmoidBox& box) {
  // The tolerances of the point fits' Ceres solver (small_fit_solver.hpp) and Ceres's Levenberg-
  // Marquardt radius rules (initial radius 1e4, Jacobi scaling of the columns, a step accepted
  // when it achieves 1e-3 of its predicted decrease).
  static const ceres::Solver::Options kCeres = small_fit_solver();
  const int kMaxIterations = kCeres.max_num_iterations;
  const double kFunctionTolerance = kCeres.function_tolerance,
               kGradientTolerance = kCeres.gradient_tolerance,
               kParameterTolerance = kCeres.parameter_tolerance,
               kMinRelativeDecrease = kCeres.min_relative_decrease;
  Theta4 theta = project(start, box);
  Linearisation at = linearise(points, theta, true);
  if (!std::isfinite(at.cost)) return std::nullopt;
  Eigen::Vector4d scaling;
  for (int k = 0; k < 4; ++k) scaling[k] = 1.0 / (1.0 + std::sqrt(at.normal(k, k)));
  double radius = kCeres.initial_trust_region_radius, decrease_factor = 2;
  // A rejected step shrinks the radius ever faster; false once it has vanished.
  const auto reject = [&] {
    radius /= decrease_factor;
    decrease_factor *= 2;
    return radius >= kCeres.min_trust_region_radius;
  };
  for (int iteration = 0; iteration < kMaxIterations; ++iteration) {
    // Converged when the gradient projected on the box (free parameters only) vanishes.
    double projected_gradient = 0;
    Theta4 descended = theta;
    for (size_t k = 0; k < 4; ++k)
      if (!box.fixed[k]) descended[k] -= at.gradient[static_cast<int>(k)];
    descended = project(descended, box);
    for (size_t k = 0; k < 4; ++k)
      projected_gradient = std::max(projected_gradient, std::abs(descended[k] - theta[k]));
    if (projected_gradient <= kGradientTolerance) break;

    // (SᵀJᵀJS + D/radius) y = −Sᵀg with D = diag(SᵀJᵀJS) clamped, over the free parameters.
    Eigen::Matrix4d system = scaling.asDiagonal() * at.normal * scaling.asDiagonal();
    Eigen::Vector4d rhs = -scaling.cwiseProduct(at.gradient);
    for (int k = 0; k < 4; ++k) {
      if (box.fixed[static_cast<size_t>(k)]) {
        system.row(k).setZero();
        system.col(k).setZero();
        system(k, k) = 1;
        rhs[k] = 0;
        continue;
      }
      system(k, k) += std::clamp(system(k, k), 1e-6, 1e32) / radius;
    }
    // Positive definite by the damping; a Cholesky that fails counts as a rejected step.
    Eigen::Vector4d step_scaled;
    if (!solve_spd4(system, rhs, &step_scaled)) {
      if (!reject()) break;
      continue;
    }
    const Eigen::Vector4d step_full = scaling.cwiseProduct(step_scaled);
    Theta4 candidate = theta;
    for (size_t k = 0; k < 4; ++k) candidate[k] += step_full[static_cast<int>(k)];
    candidate = project(candidate, box);
    Eigen::Vector4d step;
    double theta_norm = 0;
    for (size_t k = 0; k < 4; ++k) {
      step[static_cast<int>(k)] = candidate[k] - theta[k];
      theta_norm += theta[k] * theta[k];
    }
    if (step.norm() <= kParameterTolerance * (std::sqrt(theta_norm) + kParameterTolerance)) break;

    const double candidate_cost = finite(candidate) ? linearise(points, candidate, false).cost
                                                    : std::numeric_limits<double>::infinity();
    // The Gauss-Newton model's decrease along the step actually taken (after projection).
    const double predicted = -(at.gradient.dot(step) + 0.5 * step.dot(at.normal * step));
    const double actual = at.cost - candidate_cost;
    const double ratio = predicted > 0 ? actual / predicted : -1;
    if (std::isfinite(candidate_cost) && ratio > kMinRelativeDecrease) {
      const bool converged = std::abs(actual) <= kFunctionTolerance * at.cost;
      theta = candidate;
      at = linearise(points, theta, true);
      if (converged) break;
      const double c = 2 * ratio - 1;
      radius =
          std::min(kCeres.max_trust_region_radius, radius / std::max(1.0 / 3.0, 1.0 - c * c * c));
      decrease_factor = 2;
    } else {
      if (std::abs(actual) <= kFunctionTolerance * at.cost && std::isfinite(candidate_cost)) break;
      if (!reject()) break;
    }
  }
  if (!finite(theta)) return std::nullopt;
  return theta;
}

}  // namespace emlab::analysis
