#pragma once
// A sigmoid of a linear combination of several predictors, y = floor + (ceiling − floor)·
// σ(w·z + b): how observational scaling laws map a model's capability (its first K principal
// components, z) to a task's score (Ruan et al. 2024, arXiv:2405.10938, their "sigmoid" form with
// floor and ceiling free in [0, 1], or the floor held at chance). With K = 1 it is the sigmoid of
// sigmoid_fit.hpp with slope w and midpoint −b/w. Least squares by Ceres from several starts.
#include <optional>
#include <vector>

namespace emlab::analysis {

struct MultiSigmoid {
  std::vector<double> weights;  // w, one per predictor
  double bias = 0, floor = 0, ceiling = 1;
  double linear(const std::vector<double>& z) const;  // w·z + b
  double at(const std::vector<double>& z) const;
};

struct MultiSigmoidOptions {
  bool fix_floor = false;  // hold the floor at `floor` (the chance level)
  double floor = 0;
  double lower = 0, upper = 1;  // bounds on floor and ceiling (a score's range)
  // Set: start from it and two gentle starts along the first predictor (a bootstrap refit);
  // unset: from 20 starts along each predictor in turn (5 midpoints × 4 slopes, either sign).
  std::optional<MultiSigmoid> warm_start;
};

struct MultiSigmoidFit {
  MultiSigmoid params;
  double rss = 0;
  size_t points = 0;
};

// z: one row of K predictors per point (K >= 1, the same for all); y: the scores. Needs more
// points than parameters (K + 3, or K + 2 with the floor held).
MultiSigmoidFit fit_multi_sigmoid(const std::vector<std::vector<double>>& z,
                                  const std::vector<double>& y, const MultiSigmoidOptions& options);

}  // namespace emlab::analysis
