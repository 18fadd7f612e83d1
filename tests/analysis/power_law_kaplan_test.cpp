#include <gtest/gtest.h>

#include <cmath>

#include "analysis/kaplan_fit.hpp"
#include "analysis/model_comparison.hpp"
#include "analysis/power_law_fit.hpp"
#include "core/rng.hpp"
#include "synthetic.hpp"

namespace emlab::analysis {
namespace {

const PowerLawParams kPowerTruth{1.8, 600.0, 0.32};
const KaplanParams kKaplanTruth{6.4e13, 1.8e13, 0.076, 0.103};  // Kaplan et al. Table 2

void synthetic_power_law(size_t count, double sigma, uint64_t seed, std::vector<double>& x,
                         std::vector<double>& loss) {
  Rng rng(seed);
  x.clear();
  loss.clear();
  for (size_t i = 0; i < count; ++i) {
    x.push_back(std::pow(10.0, 6.0 + 4.0 * rng.uniform()));
    loss.push_back(kPowerTruth.loss(x.back()) * std::exp(sigma * rng.normal()));
  }
}

testing::SyntheticPoints synthetic_kaplan(size_t count, double sigma, uint64_t seed) {
  Rng rng(seed);
  testing::SyntheticPoints s;
  for (size_t i = 0; i < count; ++i) {
    const double n = std::pow(10.0, 7.0 + 3.0 * rng.uniform());
    const double d = n * std::pow(10.0, std::log10(2.0) + 2.0 * rng.uniform());
    s.params.push_back(n);
    s.tokens.push_back(d);
    s.loss.push_back(kKaplanTruth.loss(n, d) * std::exp(sigma * rng.normal()));
  }
  return s;
}

TEST(PowerLawFit, RecoversKnownParameters) {
  std::vector<double> x, loss;
  synthetic_power_law(60, 0.005, 11, x, loss);
  PowerLawOptions options;
  options.bootstrap_resamples = 400;
  const auto fit = fit_power_law(x, loss, options);
  EXPECT_NEAR(fit.params.alpha, kPowerTruth.alpha, 0.03);
  EXPECT_NEAR(fit.params.E, kPowerTruth.E, 0.05);
  EXPECT_NEAR(std::log(fit.params.A), std::log(kPowerTruth.A), 0.4);
  EXPECT_TRUE(fit.alpha.interval.contains(kPowerTruth.alpha));
  EXPECT_TRUE(fit.E.interval.contains(kPowerTruth.E));
}

TEST(PowerLawFit, BootstrapIntervalsCoverTheTruth) {
  const int draws = 100;
  int cover_alpha = 0, cover_e = 0, cover_a = 0;
  for (int draw = 0; draw < draws; ++draw) {
    std::vector<double> x, loss;
    synthetic_power_law(40, 0.01, 500 + static_cast<uint64_t>(draw), x, loss);
    PowerLawOptions options;
    options.bootstrap_resamples = 200;
    options.seed = static_cast<uint64_t>(draw);
    const auto fit = fit_power_law(x, loss, options);
    cover_alpha += fit.alpha.interval.contains(kPowerTruth.alpha);
    cover_e += fit.E.interval.contains(kPowerTruth.E);
    cover_a += fit.A.interval.contains(kPowerTruth.A);
  }
  std::printf("power-law coverage over %d draws: alpha %d, E %d, A %d\n", draws, cover_alpha,
              cover_e, cover_a);
  for (int covered : {cover_alpha, cover_e, cover_a}) EXPECT_GE(covered, 87);
}

TEST(KaplanFit, RecoversKnownParameters) {
  const auto s = synthetic_kaplan(120, 0.005, 5);
  KaplanOptions options;
  options.bootstrap_resamples = 200;
  const auto fit = fit_kaplan(s.params, s.tokens, s.loss, options);
  EXPECT_NEAR(fit.params.alpha_n, kKaplanTruth.alpha_n, 0.01);
  EXPECT_NEAR(fit.params.alpha_d, kKaplanTruth.alpha_d, 0.01);
  EXPECT_NEAR(std::log10(fit.params.n_c), std::log10(kKaplanTruth.n_c), 1.0);
  EXPECT_TRUE(fit.alpha_n.interval.contains(kKaplanTruth.alpha_n));
  EXPECT_TRUE(fit.alpha_d.interval.contains(kKaplanTruth.alpha_d));
  EXPECT_NEAR(fit.params.loss(1e11, 2e12) / kKaplanTruth.loss(1e11, 2e12), 1.0, 0.01);
}

TEST(KaplanFit, BootstrapIntervalsCoverTheTruth) {
  const int draws = 60;
  int cover_an = 0, cover_ad = 0;
  for (int draw = 0; draw < draws; ++draw) {
    const auto s = synthetic_kaplan(50, 0.01, 900 + static_cast<uint64_t>(draw));
    KaplanOptions options;
    options.bootstrap_resamples = 150;
    options.seed = static_cast<uint64_t>(draw);
    const auto fit = fit_kaplan(s.params, s.tokens, s.loss, options);
    cover_an += fit.alpha_n.interval.contains(kKaplanTruth.alpha_n);
    cover_ad += fit.alpha_d.interval.contains(kKaplanTruth.alpha_d);
  }
  std::printf("Kaplan coverage over %d draws: alpha_N %d, alpha_D %d\n", draws, cover_an, cover_ad);
  // 95% nominal; binomial sd with 60 draws is ~1.7 draws, so >= 51 (85%) is ~4.5 sd below.
  EXPECT_GE(cover_an, 51);
  EXPECT_GE(cover_ad, 51);
}

TEST(ModelComparison, TrueFormWinsOnHeldOutLargestModels) {
  const auto s = testing::synthetic_chinchilla(testing::published_chinchilla(), 120, 0.005, 77);
  std::vector<LossPoint> points;
  for (size_t i = 0; i < s.loss.size(); ++i)
    points.push_back({"m", s.params[i], s.tokens[i], 6 * s.params[i] * s.tokens[i], s.loss[i], 0});
  const auto held_out = hold_out_largest(points, ScaleAxis::flops, 0.8);
  size_t held = 0;
  for (bool h : held_out) held += h;
  EXPECT_EQ(held, 24u);
  const auto scores = compare_on_held_out(points, held_out);
  ASSERT_EQ(scores.size(), 3u);
  EXPECT_EQ(scores[0].form, "chinchilla");
  EXPECT_EQ(scores[0].test_points, 24u);
  EXPECT_EQ(scores[0].train_points, 96u);
  EXPECT_LT(scores[0].rmse_log, 0.01);
  EXPECT_LT(scores[0].rmse_log, scores[1].rmse_log);  // Kaplan's form has no irreducible term
  EXPECT_LT(scores[0].rmse_log, scores[2].rmse_log);  // L(C) ignores the N/D split
}

}  // namespace
}  // namespace emlab::analysis
