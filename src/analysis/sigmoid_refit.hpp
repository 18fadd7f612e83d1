#pragma once
// A light solver for the sigmoid's bootstrap refits (sigmoid_fit.cpp). A Ceres Problem costs
// about 0.24 ms a solve on these 4-parameter fits (timers, allocations, a dense QR), which made
// the 500 resamples of an ability forecast most of its time. This is Levenberg-Marquardt on the
// 4x4 normal equations with Ceres's rules (the same tolerances, initial radius, Jacobi scaling
// and step acceptance), each step projected on the floor and ceiling bounds; convergence
// is judged on the gradient projected on the box. On the bounds it reaches
// the bounded minimum where Ceres's steps stop slightly short (docs/analysis.md).
#include <array>
#include <optional>
#include <vector>

namespace emlab::analysis {

// Points of one weighted least-squares problem: residual i is scale[i]·(f(x[i]) − y[i]).
struct SigmoidPoints {
  std::vector<double> x, y, scale;
};

// θ = [floor, ceiling, midpoint, slope]: which are held where they start, and the box that the
// floor and ceiling must stay in.
struct SigmoidBox {
  std::array<bool, 4> fixed{};
  double lower = 0, upper = 1;
};

// The least-squares θ reached from `start`; nullopt when the iterations end on a non-number.
std::optional<std::array<double, 4>> refit_sigmoid_light(const SigmoidPoints& points,
                                                         std::array<double, 4> start,
                                                         const SigmoidBox& box);

}  // namespace emlab::analysis
