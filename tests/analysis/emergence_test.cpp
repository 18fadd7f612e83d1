#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "analysis/emergence_measures.hpp"
#include "analysis/hinge_fit.hpp"
#include "analysis/mirage.hpp"
#include "analysis/pass_until.hpp"
#include "analysis/sigmoid_fit.hpp"
#include "analysis/wei_test.hpp"
#include "core/error.hpp"
#include "core/rng.hpp"

namespace emlab::analysis {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(BreakthroughnessLinearity, HandComputedCases) {
  // Straight line of 4 points: I = 3, every increment 1, so B = L = 3.
  EXPECT_DOUBLE_EQ(breakthroughness({0, 1, 2, 3}), 3.0);
  EXPECT_DOUBLE_EQ(linearity({0, 1, 2, 3}), 3.0);
  // Pure step: increments (0, 0, 1); root median square 0 -> B = +inf; RMS = sqrt(1/3) -> L = √3.
  EXPECT_EQ(breakthroughness({0, 0, 0, 1}), kInf);
  EXPECT_NEAR(linearity({0, 0, 0, 1}), std::sqrt(3.0), 1e-12);
  // Near-step: increments (0, 0.1, 0.8); median of squares 0.01 -> B = 0.9/0.1 = 9;
  // mean of squares 0.65/3 -> L = 0.9/sqrt(0.65/3).
  EXPECT_NEAR(breakthroughness({0, 0, 0.1, 0.9}), 9.0, 1e-12);
  EXPECT_NEAR(linearity({0, 0, 0.1, 0.9}), 0.9 / std::sqrt(0.65 / 3), 1e-12);
  // Even number of increments: median of (0, 0.01, 0.04, 0.25) is 0.025.
  EXPECT_NEAR(breakthroughness({0, 0, 0.1, 0.3, 0.8}), 0.8 / std::sqrt(0.025), 1e-12);
  // Worsening with scale: argmax before argmin -> negative sign.
  EXPECT_DOUBLE_EQ(improvement_span({3, 2, 1, 0}), -3.0);
  EXPECT_DOUBLE_EQ(linearity({3, 2, 1, 0}), -3.0);
  EXPECT_DOUBLE_EQ(breakthroughness({0.5, 0.5, 0.5}), 0.0);  // flat
  EXPECT_THROW(linearity({1.0}), Error);
}

TEST(BreakthroughnessLinearity, StepScoresBreakthroughLineScoresLinear) {
  const std::vector<double> step = {0.25, 0.25, 0.26, 0.25, 0.25, 0.9, 0.91, 0.9};
  const std::vector<double> line = {0.25, 0.33, 0.41, 0.49, 0.57, 0.65, 0.73, 0.81};
  EXPECT_GT(breakthroughness(step), 10.0);
  EXPECT_GT(breakthroughness(step), 3 * breakthroughness(line));
  EXPECT_NEAR(linearity(line), 7.0, 1e-9);
  EXPECT_GT(linearity(line), 2 * linearity(step));
}

TEST(JumpShare, HandComputedCases) {
  EXPECT_DOUBLE_EQ(jump_share({0, 1, 2, 3, 4}), 0.25);    // a straight climb over 5 points: 1/4
  EXPECT_DOUBLE_EQ(jump_share({0, 0, 0, 1}), 1.0);        // one jump
  EXPECT_DOUBLE_EQ(jump_share({0, 0.5, 0.4, 1.0}), 0.6);  // largest rise 0.6 of a rise of 1
  // p^3 of p = 0.2, 0.4, 0.6, 0.8, 1: 0.008, 0.064, 0.216, 0.512, 1 -> 0.488 / 0.992.
  EXPECT_NEAR(jump_share({0.008, 0.064, 0.216, 0.512, 1.0}), 0.488 / 0.992, 1e-12);
  EXPECT_TRUE(std::isnan(jump_share({0.3, 0.3, 0.3})));
  EXPECT_THROW(jump_share({1.0}), Error);
}

TEST(ChanceNormalisation, HandValuesAndFlags) {
  EXPECT_DOUBLE_EQ(chance_normalised(0.625, 0.25), 0.5);
  EXPECT_DOUBLE_EQ(chance_normalised(0.25, 0.25), 0.0);
  EXPECT_DOUBLE_EQ(uniform_brier(4), 0.75);
  EXPECT_TRUE(worse_than_chance(0.8, uniform_brier(4), /*higher_is_better=*/false));
  EXPECT_FALSE(worse_than_chance(0.6, uniform_brier(4), false));
  EXPECT_TRUE(worse_than_chance(0.2, 0.25, true));
}

TEST(WeiTest, WilsonAndHolmHandValues) {
  const auto w = wilson_interval(0.5, 100, 0.95);
  EXPECT_NEAR(w.lower, 0.40383, 1e-5);
  EXPECT_NEAR(w.upper, 0.59617, 1e-5);
  EXPECT_NEAR(normal_two_sided_quantile(0.95), 1.959964, 1e-6);
  const auto adjusted = holm_adjust({0.01, 0.04, 0.03, 0.005});
  EXPECT_NEAR(adjusted[0], 0.03, 1e-15);
  EXPECT_NEAR(adjusted[1], 0.06, 1e-15);
  EXPECT_NEAR(adjusted[2], 0.06, 1e-15);
  EXPECT_NEAR(adjusted[3], 0.02, 1e-15);
}

TEST(WeiTest, ClassifiesCurvesWithMultipleTestingCorrection) {
  auto curve = [](const std::string& label, std::vector<double> values) {
    LabelledCurve c{label, 0.25, {}};
    for (size_t i = 0; i < values.size(); ++i)
      c.points.push_back({static_cast<double>(i), values[i], -1, 400});
    return c;
  };
  const auto results = wei_emergence_test(
      {curve("step", {0.25, 0.24, 0.26, 0.60, 0.85}), curve("flat", {0.25, 0.25, 0.26, 0.25, 0.24}),
       curve("smooth", {0.40, 0.5, 0.6, 0.7, 0.8}), curve("weak", {0.25, 0.25, 0.25, 0.25, 0.29})});
  ASSERT_EQ(results.size(), 4u);
  EXPECT_TRUE(results[0].emergent);
  EXPECT_EQ(results[0].threshold_index, 3);
  EXPECT_DOUBLE_EQ(results[0].threshold_x, 3.0);
  EXPECT_EQ(results[1].verdict, "never above chance at the largest scale");
  EXPECT_EQ(results[2].verdict, "above chance from the smallest scale");
  // 0.29 over 400 at chance 0.25: z = 0.04/sqrt(0.25·0.75/400) = 1.848, one-sided p = 0.0323;
  // significant alone, but Holm multiplies it by 2 (third smallest of 4) -> 0.0646.
  EXPECT_NEAR(results[3].p_value, 0.0323, 5e-4);
  EXPECT_NEAR(results[3].adjusted_p, 2 * results[3].p_value, 1e-12);
  EXPECT_FALSE(results[3].emergent);
  EXPECT_EQ(results[3].verdict, "not significant after Holm correction");
  // Without the other curves the weak one passes: the correction is what stops it.
  EXPECT_TRUE(wei_emergence_test({curve("weak", {0.25, 0.25, 0.25, 0.25, 0.29})})[0].emergent);
}

TEST(SigmoidFit, RecoversKnownCurveAndCrossing) {
  const SigmoidParams truth{0.25, 0.95, 8.5, 4.0};
  // Hand value: 0.25 + 0.7·σ(2) = 0.866558 is reached at x = 8.5 + 2/4 = 9.
  EXPECT_NEAR(truth.crossing(0.25 + 0.7 / (1 + std::exp(-2.0))), 9.0, 1e-12);
  EXPECT_TRUE(std::isnan(truth.crossing(0.99)));
  Rng rng(3);
  std::vector<double> x, y;
  for (int i = 0; i <= 12; ++i) {
    x.push_back(7.0 + 0.25 * i);
    y.push_back(truth.at(x.back()) + 0.01 * rng.normal());
  }
  SigmoidOptions options;
  options.bootstrap_resamples = 300;
  const auto fit = fit_sigmoid(x, y, options);
  EXPECT_NEAR(fit.params.midpoint, 8.5, 0.05);
  EXPECT_NEAR(fit.params.slope, 4.0, 0.8);
  EXPECT_NEAR(fit.params.floor, 0.25, 0.02);
  EXPECT_NEAR(fit.params.ceiling, 0.95, 0.02);
  EXPECT_NEAR(fit.params.crossing(0.6), 8.5, 0.05);
  EXPECT_TRUE(fit.midpoint.interval.contains(8.5));

  // Over loss the curve falls with x: a negative slope, same midpoint.
  std::vector<double> loss;
  for (double v : x) loss.push_back(12.0 - v);  // loss 5 .. 2
  SigmoidOptions fixed;
  fixed.fix_floor = true;
  fixed.floor = 0.25;
  const auto over_loss = fit_sigmoid(loss, y, fixed);
  EXPECT_DOUBLE_EQ(over_loss.params.floor, 0.25);
  EXPECT_NEAR(over_loss.params.midpoint, 3.5, 0.05);
  EXPECT_NEAR(over_loss.params.slope, -4.0, 0.8);
}

TEST(SigmoidFit, AFixedCeilingPlacesTheRiseFromItsLowerPartAlone) {
  // Only the bottom of a rise from 0 to 1 is seen (x from 4 down to 3.3: y up to σ(1.4) = 0.80
  // at most; below 0.3 for most points). Held at 1, the ceiling leaves two parameters, which the
  // lower part places; its crossing of 0.5 at x = 3.0 lies beyond the data.
  const SigmoidParams truth{0.0, 1.0, 3.0, -4.0};
  EXPECT_NEAR(truth.at(3.3), 1 / (1 + std::exp(1.2)), 1e-12);
  Rng rng(5);
  std::vector<double> x, y;
  for (int i = 0; i < 15; ++i) {
    x.push_back(4.0 - 0.05 * i);
    y.push_back(truth.at(x.back()) + 0.005 * rng.normal());
  }
  SigmoidOptions options;
  options.fix_floor = true;
  options.fix_ceiling = true;
  const auto fit = fit_sigmoid(x, y, options);
  EXPECT_DOUBLE_EQ(fit.params.floor, 0.0);
  EXPECT_DOUBLE_EQ(fit.params.ceiling, 1.0);
  EXPECT_NEAR(fit.params.crossing(0.5), 3.0, 0.05);
  EXPECT_NEAR(fit.params.slope, -4.0, 0.3);
  // Two free parameters need three points.
  EXPECT_THROW(fit_sigmoid({3.9, 3.8}, {0.02, 0.03}, options), Error);
  // Two start midpoints (8 starts) find the same fit on these data; none is an error.
  options.start_positions = 2;
  EXPECT_NEAR(fit_sigmoid(x, y, options).params.crossing(0.5), fit.params.crossing(0.5), 1e-6);
  options.start_positions = 0;
  EXPECT_THROW(fit_sigmoid(x, y, options), Error);
}

TEST(SigmoidFit, BootstrapIntervalsCoverTheTruth) {
  const SigmoidParams truth{0.25, 0.95, 8.5, 4.0};
  const int draws = 60;
  int covered = 0;
  for (int draw = 0; draw < draws; ++draw) {
    Rng rng(100 + static_cast<uint64_t>(draw));
    std::vector<double> x, y;
    for (int i = 0; i < 25; ++i) {
      x.push_back(7.0 + 3.0 * rng.uniform());
      y.push_back(truth.at(x.back()) + 0.03 * rng.normal());
    }
    SigmoidOptions options;
    options.bootstrap_resamples = 200;
    options.seed = static_cast<uint64_t>(draw);
    covered += fit_sigmoid(x, y, options).midpoint.interval.contains(truth.midpoint);
  }
  std::printf("sigmoid midpoint coverage over %d draws: %d\n", draws, covered);
  EXPECT_GE(covered, 51);  // 95% nominal; >= 85% allowed for 60 draws
}

TEST(HingeFit, ExactDataGiveExactThreshold) {
  const std::vector<double> loss = {4.0, 3.6, 3.2, 2.8, 2.4, 2.0};
  const std::vector<double> y = {0.25, 0.25, 0.25, 0.35, 0.55, 0.75};  // η = 3, s = 0.5
  const auto p = fit_hinge_point(loss, y, 0.25);
  EXPECT_NEAR(p.threshold, 3.0, 1e-12);
  EXPECT_NEAR(p.slope, 0.5, 1e-12);
  const auto flat = fit_hinge_point(loss, {0.25, 0.25, 0.25, 0.25, 0.25, 0.25}, 0.25);
  EXPECT_TRUE(std::isnan(flat.threshold));
  // Du et al.: L(N) = 1.5 + 100·N^(−0.5) reaches η = 2.5 at N = (100/1)² = 1e4.
  EXPECT_NEAR(params_at_loss({1.5, 100.0, 0.5}, 2.5), 1e4, 1e-8);
  EXPECT_TRUE(std::isnan(params_at_loss({1.5, 100.0, 0.5}, 1.4)));
  EXPECT_THROW(fit_hinge_point({3.0, 2.0}, {0.25, 0.5}, 0.25), Error);
}

TEST(HingeFit, BootstrapIntervalCoversTheThreshold) {
  const HingeParams truth{2.9, 0.4, 0.25};
  const int draws = 100;
  int covered = 0;
  for (int draw = 0; draw < draws; ++draw) {
    Rng rng(7000 + static_cast<uint64_t>(draw));
    std::vector<double> loss, y;
    for (int i = 0; i < 30; ++i) {
      loss.push_back(2.0 + 2.0 * rng.uniform());
      y.push_back(truth.at(loss.back()) + 0.02 * rng.normal());
    }
    const auto fit = fit_hinge(loss, y, 0.25, 400, static_cast<uint64_t>(draw));
    covered += fit.threshold.interval.contains(truth.threshold);
  }
  std::printf("hinge threshold coverage over %d draws: %d\n", draws, covered);
  EXPECT_GE(covered, 87);
}

TEST(PassUntil, StraightAndConcaveCases) {
  EXPECT_DOUBLE_EQ(student_t_975(5), 2.571);
  EXPECT_NEAR(student_t_975(200), 1.972, 1e-3);
  std::vector<double> n, pu_line, pu_concave;
  for (int i = 0; i < 8; ++i) {
    const double size = std::pow(10.0, 2.0 + 0.5 * i);
    const double x = std::log(size);
    const double wiggle = (i % 2 ? 0.01 : -0.01);
    n.push_back(size);
    pu_line.push_back(std::exp(-std::exp(3.0 - 0.5 * x + wiggle)));
    const double xc = x - std::log(std::pow(10.0, 3.75));
    pu_concave.push_back(std::exp(-std::exp(3.0 - 0.5 * x - 0.05 * xc * xc + wiggle)));
  }
  const auto line = fit_pass_until(n, pu_line);
  EXPECT_NEAR(line.intercept.value, 3.0, 0.02);
  EXPECT_NEAR(line.slope.value, -0.5, 0.002);
  EXPECT_TRUE(line.slope.interval.contains(-0.5));
  EXPECT_EQ(line.concavity, "power law (not distinguishable)");
  EXPECT_NEAR(line.predict_pass_rate(1e4), std::exp(-std::exp(3.0 - 0.5 * std::log(1e4))), 1e-3);
  const auto concave = fit_pass_until(n, pu_concave);
  EXPECT_NEAR(concave.curvature.value, -0.05, 0.005);
  EXPECT_EQ(concave.concavity, "accelerated");
  EXPECT_THROW(fit_pass_until({1e3, 1e4, 1e5}, {0.1, 0.5, 1.0}), Error);  // PU = 1
}

TEST(Mirage, PredictsExactMatchFromPerTokenAccuracy) {
  const auto check = mirage_check({{0.9, 3, 0.72, 1000}, {0.5, 4, 0.2, 1000}});
  ASSERT_EQ(check.rows.size(), 2u);
  EXPECT_NEAR(check.rows[0].predicted_exact_match, 0.729, 1e-12);
  EXPECT_NEAR(check.rows[0].predicted_edit_distance, 0.3, 1e-12);
  EXPECT_TRUE(check.rows[0].consistent);
  EXPECT_NEAR(check.rows[1].predicted_exact_match, 0.0625, 1e-12);
  EXPECT_FALSE(check.rows[1].consistent);
  EXPECT_NEAR(check.rmse, std::sqrt((0.009 * 0.009 + 0.1375 * 0.1375) / 2), 1e-12);
  EXPECT_NEAR(check.consistent_fraction, 0.5, 1e-12);
  EXPECT_NEAR(per_token_accuracy_from_loss(std::log(2.0)), 0.5, 1e-15);
  EXPECT_THROW(mirage_check({{1.2, 3, 0.5, 10}}), Error);
}

}  // namespace
}  // namespace emlab::analysis
