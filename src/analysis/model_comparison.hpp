#pragma once
// Model comparison on held-out points: fit each form on the training points only, then score its
// predictions of the held-out losses (log-space RMSE, the scale the fits minimise, and relative
// error, the scale a reader compares).
#include <string>
#include <vector>

#include "analysis/scaling_data.hpp"

namespace emlab::analysis {

struct HeldOutScore {
  std::string form;  // "chinchilla", "kaplan", "power_law_flops"
  size_t train_points = 0, test_points = 0;
  double rmse_log = 0;            // sqrt(mean (log L̂ − log L)²) over held-out points
  double mean_abs_rel_error = 0;  // mean |L̂/L − 1|
  double max_abs_rel_error = 0;
};

// Marks the points whose value on `axis` is above the `keep_fraction` quantile of that axis as
// held out (extrapolation to larger scale, the question a forecast answers).
std::vector<bool> hold_out_largest(const std::vector<LossPoint>& points, ScaleAxis axis,
                                   double keep_fraction);

// Fits Chinchilla (full grid, no bootstrap), Kaplan and a power law in C on the training points.
std::vector<HeldOutScore> compare_on_held_out(const std::vector<LossPoint>& points,
                                              const std::vector<bool>& held_out);

}  // namespace emlab::analysis
