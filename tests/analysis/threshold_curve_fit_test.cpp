// The saturating threshold curve: known parameters recovered from exact and from noisy data, its
// value computed by hand, and bad input refused.
#include "analysis/threshold_curve_fit.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "core/rng.hpp"

namespace emlab::analysis {
namespace {

TEST(ThresholdCurve, ValueByHand) {
  const ThresholdCurve c{2.0, 3.0, 0.25};
  EXPECT_DOUBLE_EQ(c.at(2.5), 0.25);  // above the threshold: chance
  // 0.25 + 0.75·(1 − e^(−3·0.5)) = 0.25 + 0.75·0.77687 = 0.83265
  EXPECT_NEAR(c.at(1.5), 0.832652, 1e-6);
  EXPECT_NEAR(c.at(-10), 1.0, 1e-12);  // never above a perfect score
}

TEST(ThresholdCurve, RecoversKnownParametersFromExactData) {
  const ThresholdCurve truth{1.6, 2.5, 0.0};
  std::vector<double> loss, y;
  for (int i = 0; i < 40; ++i) {
    loss.push_back(0.5 + 0.06 * i);
    y.push_back(truth.at(loss.back()));
  }
  const ThresholdCurveFit fit = fit_threshold_curve(loss, y, 0.0);
  EXPECT_NEAR(fit.curve.threshold, 1.6, 0.02);  // within a grid step of the η grid
  EXPECT_NEAR(fit.curve.rate, 2.5, 0.15);
  EXPECT_LT(fit.rss, 1e-3);
  EXPECT_EQ(fit.points, 40u);
}

TEST(ThresholdCurve, ProfileIntervalUsuallyHoldsTheTruthUnderBinomialNoise) {
  const ThresholdCurve truth{1.6, 2.5, 0.0};
  int covered = 0;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    Rng rng(seed);
    std::vector<double> loss, y;
    for (int i = 0; i < 60; ++i) {
      loss.push_back(0.5 + 0.04 * i);
      int hits = 0;
      for (int k = 0; k < 100; ++k) hits += rng.uniform() < truth.at(loss.back()) ? 1 : 0;
      y.push_back(hits / 100.0);
    }
    const ThresholdCurveFit fit = fit_threshold_curve(loss, y, 0.0);
    covered += fit.lower <= 1.6 && 1.6 <= fit.upper ? 1 : 0;
    EXPECT_LT(fit.upper - fit.lower, 0.3) << "seed " << seed;
  }
  // Measured: 166 of 200 seeds (83%), not 95%: binomial residuals are not of equal variance (none
  // at chance, most at 0.5), which the F profile assumes. 28 of 40 is 2.4 SDs below 83%.
  EXPECT_GE(covered, 28);
}

TEST(ThresholdCurve, BadInputFailsClearly) {
  EXPECT_THROW(fit_threshold_curve({1, 2, 3}, {0, 0, 1}, 0), Error);
  EXPECT_THROW(fit_threshold_curve({1, 2, 3, 4}, {0, 0, 1}, 0), Error);
  EXPECT_THROW(fit_threshold_curve({1, 2, NAN, 4}, {0, 0, 1, 1}, 0), Error);
}

}  // namespace
}  // namespace emlab::analysis
