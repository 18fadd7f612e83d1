#pragma once
// The sigmoid's least-squares residuals as one Ceres cost function (sigmoid_fit.cpp), in a header
// of its own so that its Jacobian is checked against finite differences.
#include <ceres/ceres.h>

#include <utility>
#include <vector>

namespace emlab::analysis {

// One point's residual scale·(f(x) − y) at θ = [floor, ceiling, midpoint, slope]; when `partials`
// is given, its derivatives by the four parameters go there. Shared by SigmoidCost and the light
// solver of the bootstrap refits (sigmoid_refit.hpp).
double sigmoid_residual(const double* theta, double x, double y, double scale, double* partials);

// Every point's residual sqrt(w)·(f(x) − y) in one cost function with its Jacobian written out:
// θ = [floor, ceiling, midpoint, slope], f = floor + (ceiling − floor)·σ(slope·(x − midpoint)).
// One block instead of one per point (the same objective, ½ Σ w r²) spares Ceres its per-block
// bookkeeping, which was most of a fit's time.
class SigmoidCost final : public ceres::CostFunction {
 public:
  SigmoidCost(std::vector<double> x, std::vector<double> y, std::vector<double> scale)
      : x_(std::move(x)), y_(std::move(y)), scale_(std::move(scale)) {
    set_num_residuals(static_cast<int>(x_.size()));
    mutable_parameter_block_sizes()->push_back(4);
  }

  bool Evaluate(double const* const* parameters, double* residuals,
                double** jacobians) const override;

 private:
  std::vector<double> x_, y_, scale_;
};

}  // namespace emlab::analysis
