#include "analysis/sigmoid_cost.hpp"

#include <algorithm>
#include <cmath>

namespace emlab::analysis {

double sigmoid_residual(const double* theta, double x, double y, double scale, double* partials) {
  // Clamped so a saturated start gives a zero derivative instead of inf/inf = NaN.
  const double raw = theta[3] * (x - theta[2]);
  const double t = std::clamp(raw, -40.0, 40.0);
  const double sigma = 1.0 / (1.0 + std::exp(-t));
  const double span = theta[1] - theta[0];
  if (partials != nullptr) {
    const double inner = raw == t ? scale * span * sigma * (1 - sigma) : 0.0;
    partials[0] = scale * (1 - sigma);
    partials[1] = scale * sigma;
    partials[2] = -inner * theta[3];
    partials[3] = inner * (x - theta[2]);
  }
  return scale * (theta[0] + span * sigma - y);
}

bool SigmoidCost::Evaluate(double const* const* parameters, double* residuals,
                           double** jacobians) const {
  const bool with_jacobian = jacobians != nullptr && jacobians[0] != nullptr;
  for (size_t i = 0; i < x_.size(); ++i)
    residuals[i] = sigmoid_residual(parameters[0], x_[i], y_[i], scale_[i],
                                    with_jacobian ? jacobians[0] + 4 * i : nullptr);
  return true;
}

}  // namespace emlab::analysis
