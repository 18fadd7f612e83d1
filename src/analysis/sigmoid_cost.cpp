#include "analysis/sigmoid_cost.hpp"

#include <algorithm>
#include <cmath>

namespace emlab::analysis {

bool SigmoidCost::Evaluate(double const* const* parameters, double* residuals,
                           double** jacobians) const {
  const double* theta = parameters[0];
  const double span = theta[1] - theta[0];
  for (size_t i = 0; i < x_.size(); ++i) {
    // Clamped so a saturated start gives a zero derivative instead of inf/inf = NaN.
    const double raw = theta[3] * (x_[i] - theta[2]);
    const double t = std::clamp(raw, -40.0, 40.0);
    const double sigma = 1.0 / (1.0 + std::exp(-t));
    residuals[i] = scale_[i] * (theta[0] + span * sigma - y_[i]);
    if (jacobians == nullptr || jacobians[0] == nullptr) continue;
    double* row = jacobians[0] + 4 * i;
    const double inner = raw == t ? scale_[i] * span * sigma * (1 - sigma) : 0.0;
    row[0] = scale_[i] * (1 - sigma);
    row[1] = scale_[i] * sigma;
    row[2] = -inner * theta[3];
    row[3] = inner * (x_[i] - theta[2]);
  }
  return true;
}

}  // namespace emlab::analysis
