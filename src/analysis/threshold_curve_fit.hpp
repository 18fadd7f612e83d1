#pragma once
// The emergence curve of Du et al. 2024 (arXiv:2403.15796) with a ceiling: a score sits at chance
// while the pre-training loss L is above a threshold η and rises towards 1 below it,
//   y = c + (1 − c)·(1 − exp(−s·max(0, η − L))),  s > 0.
// Unlike a straight hinge it cannot promise more than a perfect score, so checkpoints near 1 do not
// bend the fit. Fitted by least squares: a grid over η spanning the losses, and for each η the best
// s by golden-section search in log s. η's 95% interval is the profile: every η whose best residual
// stays within F(1, k − 2) of the minimum, RSS(η) ≤ RSS_min·(1 + 3.84/(k − 2)). Its coverage under
// binomial noise measured 83%, not 95% (tests/analysis): the F profile assumes residuals of equal
// variance, and a proportion has none at chance and most at 0.5.
#include <cstddef>
#include <vector>

namespace emlab::analysis {

struct ThresholdCurve {
  double threshold = 0;  // η, in nats
  double rate = 0;       // s, per nat below η
  double chance = 0;
  double at(double loss) const;
};

struct ThresholdCurveFit {
  ThresholdCurve curve;
  double rss = 0;
  size_t points = 0;
  double lower = 0, upper = 0;  // η's profile interval (an end of the grid: not bounded there)
};

// Throws emlab::Error for fewer than 4 points, mismatched sizes or non-finite values.
ThresholdCurveFit fit_threshold_curve(const std::vector<double>& loss, const std::vector<double>& y,
                                      double chance);

}  // namespace emlab::analysis
