// The sigmoid fit's cost function: its residuals are sqrt(w)·(f(x) − y) and its hand-written
// Jacobian agrees with central finite differences, on the rise, near saturation and past the
// clamp (where the slope and midpoint derivatives are zero, as the clamped curve is flat).
#include "analysis/sigmoid_cost.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <vector>

namespace emlab::analysis {
namespace {

std::vector<double> residuals_at(const SigmoidCost& cost, std::array<double, 4> theta, size_t n) {
  std::vector<double> r(n);
  const double* blocks[] = {theta.data()};
  EXPECT_TRUE(cost.Evaluate(blocks, r.data(), nullptr));
  return r;
}

TEST(SigmoidCost, ResidualsAreScaledDifferencesFromTheCurve) {
  // θ = (0.2, 0.8, 1, 2): at x = 1, σ = 1/2 so f = 0.5; weight 4 scales by 2.
  const SigmoidCost cost({1.0, 1.0}, {0.4, 0.4}, {1.0, 2.0});
  const std::vector<double> r = residuals_at(cost, {0.2, 0.8, 1.0, 2.0}, 2);
  EXPECT_NEAR(r[0], 0.1, 1e-15);
  EXPECT_NEAR(r[1], 0.2, 1e-15);
}

TEST(SigmoidCost, JacobianMatchesFiniteDifferences) {
  // Points on the rise, in the tails and (for the steep θ) far past the clamp at |t| = 40.
  const std::vector<double> x = {-3.0, -0.7, 0.1, 0.5, 1.2, 2.9, 8.0};
  const std::vector<double> y = {0.1, 0.2, 0.45, 0.5, 0.7, 0.9, 0.95};
  const std::vector<double> scale = {1.0, 0.5, 2.0, 1.0, 1.5, 1.0, 0.7};
  const SigmoidCost cost(x, y, scale);
  const size_t n = x.size();
  for (const std::array<double, 4> theta0 :
       {std::array<double, 4>{0.1, 0.9, 0.4, 2.5}, std::array<double, 4>{0.8, 0.2, -0.5, -1.3},
        std::array<double, 4>{0.0, 1.0, 0.3, 30.0}}) {
    std::array<double, 4> theta = theta0;
    std::vector<double> r(n), jacobian(4 * n);
    const double* blocks[] = {theta.data()};
    double* jacobians[] = {jacobian.data()};
    ASSERT_TRUE(cost.Evaluate(blocks, r.data(), jacobians));
    for (size_t k = 0; k < 4; ++k) {
      const double h = 1e-6;
      std::array<double, 4> up = theta0, down = theta0;
      up[k] += h;
      down[k] -= h;
      const std::vector<double> ru = residuals_at(cost, up, n), rd = residuals_at(cost, down, n);
      for (size_t i = 0; i < n; ++i) {
        const double numeric = (ru[i] - rd[i]) / (2 * h);
        EXPECT_NEAR(jacobian[4 * i + k], numeric, 1e-6 * (1 + std::abs(numeric)))
            << "parameter " << k << " at x = " << x[i] << ", slope " << theta0[3];
      }
    }
  }
}

}  // namespace
}  // namespace emlab::analysis
