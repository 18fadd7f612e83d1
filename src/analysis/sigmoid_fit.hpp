#pragma once
// A sigmoid with floor and ceiling, y = floor + (ceiling − floor)·σ(slope·(x − midpoint)), over
// x = log10(scale) or x = pre-training loss (then the slope comes out negative: y rises as loss
// falls). The form of Ruan et al. 2024 (arXiv:2405.10938) with one predictor. Least squares by
// Ceres (autodiff, Levenberg-Marquardt) from several starts; bootstrap percentile intervals.
#include <cstdint>
#include <vector>

#include "analysis/bootstrap.hpp"

namespace emlab::analysis {

struct SigmoidParams {
  double floor = 0, ceiling = 1, midpoint = 0, slope = 1;
  double at(double x) const;
  // The x where the curve reaches `level`; NaN when the level lies outside (floor, ceiling).
  double crossing(double level) const;
};

struct SigmoidOptions {
  bool fix_floor = false;  // hold the floor at `floor` (e.g. the chance level)
  double floor = 0;
  bool fix_ceiling = false;  // hold the ceiling at `ceiling` (a score known to saturate there)
  double ceiling = 1;
  double lower = 0, upper = 1;  // bounds on floor and ceiling (a metric's range)
  int bootstrap_resamples = 0;
  // Midpoints tried as starts, evenly over the x range (each with four slopes): fewer is faster
  // and may miss the best fit on data with several local minima.
  int start_positions = 5;
  uint64_t seed = 0;
  double level = 0.95;
};

struct SigmoidFit {
  SigmoidParams params;
  double rss = 0;
  size_t points = 0;
  std::vector<SigmoidParams> bootstrap;
  Estimate floor, ceiling, midpoint, slope;
};

SigmoidFit fit_sigmoid(const std::vector<double>& x, const std::vector<double>& y,
                       const SigmoidOptions& options);

}  // namespace emlab::analysis
