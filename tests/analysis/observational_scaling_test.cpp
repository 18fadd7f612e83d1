// Observational scaling (Ruan et al. 2024): principal components, the sigmoid of several
// components, family offsets and the backtest, on hand-computed cases and on a synthetic
// leaderboard with a known capability space and known family efficiencies
// (tests/support/capability_leaderboard.hpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "analysis/family_efficiency.hpp"
#include "analysis/multi_sigmoid_fit.hpp"
#include "analysis/observational_backtest.hpp"
#include "analysis/principal_components.hpp"
#include "analysis/sigmoid_fit.hpp"
#include "core/error.hpp"
#include "core/rng.hpp"
#include "support/capability_leaderboard.hpp"

namespace emlab::analysis {
namespace {

using emlab::testing::synthetic_capability;

TEST(PrincipalComponents, HandComputedCross) {
  // Centred already; spread 2 along x (sum of squares 1 + 1) and 0.5 along y (0.25 + 0.25).
  const auto pc = principal_components({{1, 0}, {-1, 0}, {0, 0.5}, {0, -0.5}});
  ASSERT_EQ(pc.variance_share.size(), 2u);
  EXPECT_NEAR(pc.variance_share[0], 0.8, 1e-12);
  EXPECT_NEAR(pc.variance_share[1], 0.2, 1e-12);
  EXPECT_NEAR(pc.loadings[0][0], 1, 1e-12);
  EXPECT_NEAR(pc.loadings[0][1], 0, 1e-12);
  EXPECT_NEAR(pc.loadings[1][1], 1, 1e-12);  // signed so that the loadings sum to >= 0
  const auto z = pc.project({2, 1});
  EXPECT_NEAR(z[0], 2, 1e-12);
  EXPECT_NEAR(z[1], 1, 1e-12);
  EXPECT_EQ(pc.project({2, 1}, 1).size(), 1u);
}

TEST(PrincipalComponents, CentresOnTheMeanAndRejectsBadTables) {
  const auto pc = principal_components({{3, 10}, {5, 10}});
  EXPECT_DOUBLE_EQ(pc.mean[0], 4);
  EXPECT_DOUBLE_EQ(pc.mean[1], 10);
  EXPECT_NEAR(pc.variance_share[0], 1, 1e-12);
  EXPECT_NEAR(pc.project({6, 10})[0], 2, 1e-12);
  EXPECT_THROW(principal_components({{1, 2}}), Error);
  EXPECT_THROW(principal_components({{1, 2}, {1}}), Error);
  EXPECT_THROW(principal_components({{1, 2}, {1, NAN}}), Error);
  EXPECT_THROW(principal_components({{1, 2}, {1, 2}}), Error);
}

TEST(PrincipalComponents, RecoverTheSyntheticCapabilitySpace) {
  const auto s = synthetic_capability();
  std::vector<std::vector<double>> rows;
  for (const auto& m : s.table.models) rows.push_back(m.capability);
  const auto pc = principal_components(rows);
  EXPECT_NEAR(pc.variance_share[0], s.share1, 1e-10);
  EXPECT_NEAR(pc.variance_share[1], s.share2, 1e-10);
  EXPECT_NEAR(pc.variance_share[2], 0, 1e-12);
  for (size_t j = 0; j < 5; ++j) {
    EXPECT_NEAR(pc.loadings[0][j], s.u1[j], 1e-9) << j;
    EXPECT_NEAR(pc.loadings[1][j], s.u2[j], 1e-9) << j;
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto z = pc.project(rows[i], 2);
    EXPECT_NEAR(z[0], s.c1[i], 1e-10);
    EXPECT_NEAR(z[1], s.c2[i], 1e-10);
  }
}

TEST(FamilyEfficiency, HandComputedTwoFamilies) {
  // Family a: capability 1 at 10 FLOPs and 3 at 100 (slope 2 per decade); b: 5 at 10^1.5.
  const auto e = fit_family_efficiency({1, 3, 5}, {1, 2, 1.5}, {"a", "a", "b"});
  EXPECT_NEAR(e.slope, 2, 1e-12);
  ASSERT_EQ(e.offsets.size(), 2u);
  EXPECT_EQ(e.offsets[0].family, "b");  // most efficient first
  EXPECT_NEAR(e.offsets[0].offset, 2, 1e-12);
  EXPECT_EQ(e.offsets[1].models, 2u);
  EXPECT_NEAR(e.offsets[1].offset, -1, 1e-12);
  // a needs 10^(3/2) times b's compute for the same capability.
  EXPECT_NEAR(e.compute_ratio("a", "b"), std::pow(10, 1.5), 1e-9);
  EXPECT_TRUE(std::isnan(e.residual_sd));  // 3 models, 3 parameters
  EXPECT_EQ(e.largest_family().family, "a");
  EXPECT_THROW(e.compute_ratio("c", "a"), Error);
  // One model per family: nothing tells the slope.
  EXPECT_THROW(fit_family_efficiency({1, 2}, {1, 2}, {"a", "b"}), Error);
}

TEST(FamilyEfficiency, RecoversTheSyntheticOffsets) {
  const auto s = synthetic_capability();
  const auto e = family_efficiency(s.table);  // over the first component, which is c1
  EXPECT_NEAR(e.slope, s.slope, 1e-10);
  EXPECT_NEAR(e.residual_sd, 0, 1e-10);
  // Offsets are known up to the centring of c1: compare them with f0's.
  double f0 = 0;
  for (const auto& o : e.offsets)
    if (o.family == "f0") f0 = o.offset;
  for (const auto& o : e.offsets) {
    const size_t f = size_t(o.family[1] - '0');
    EXPECT_NEAR(o.offset - f0, s.offsets[f], 1e-10) << o.family;
    EXPECT_EQ(o.models, 6u);
  }
  EXPECT_EQ(e.offsets.front().family, "f3");  // offset 0.5
  EXPECT_EQ(e.offsets.back().family, "f4");   // offset -0.45
}

TEST(MultiSigmoid, RecoversKnownParametersOfTwoPredictors) {
  Rng rng(5);
  const MultiSigmoid truth{{3, -2}, 0.5, 0.1, 0.9};
  std::vector<std::vector<double>> z;
  std::vector<double> y;
  for (int i = 0; i < 40; ++i) {
    z.push_back({-2 + 4 * rng.uniform(), -1 + 2 * rng.uniform()});
    y.push_back(truth.at(z.back()));
  }
  const auto fit = fit_multi_sigmoid(z, y, {});
  EXPECT_LT(fit.rss, 1e-16);
  EXPECT_NEAR(fit.params.weights[0], 3, 1e-5);
  EXPECT_NEAR(fit.params.weights[1], -2, 1e-5);
  EXPECT_NEAR(fit.params.bias, 0.5, 1e-5);
  EXPECT_NEAR(fit.params.floor, 0.1, 1e-6);
  EXPECT_NEAR(fit.params.ceiling, 0.9, 1e-6);
  // Held floor: it stays where it is put; the rest adapt.
  MultiSigmoidOptions held;
  held.fix_floor = true;
  held.floor = 0.1;
  const auto fixed = fit_multi_sigmoid(z, y, held);
  EXPECT_DOUBLE_EQ(fixed.params.floor, 0.1);
  EXPECT_NEAR(fixed.params.weights[0], 3, 1e-5);
  // A warm start from the answer stays there.
  MultiSigmoidOptions warm;
  warm.warm_start = truth;
  EXPECT_LT(fit_multi_sigmoid(z, y, warm).rss, 1e-16);
}

TEST(MultiSigmoid, WithOnePredictorIsTheSigmoidOfSigmoidFit) {
  Rng rng(11);
  std::vector<std::vector<double>> z;
  std::vector<double> x, y;
  for (int i = 0; i < 30; ++i) {
    x.push_back(-1 + 2 * double(i) / 29);
    z.push_back({x.back()});
    y.push_back(0.2 + 0.6 / (1 + std::exp(-4 * (x.back() - 0.2))) + 0.03 * rng.normal());
  }
  const auto multi = fit_multi_sigmoid(z, y, {});
  const auto one = fit_sigmoid(x, y, {});
  EXPECT_NEAR(multi.rss, one.rss, 1e-9 * one.rss);
  EXPECT_NEAR(multi.params.weights[0], one.params.slope, 1e-4);
  EXPECT_NEAR(-multi.params.bias / multi.params.weights[0], one.params.midpoint, 1e-4);
  EXPECT_NEAR(multi.params.floor, one.params.floor, 1e-5);
  EXPECT_NEAR(multi.params.ceiling, one.params.ceiling, 1e-5);
}

TEST(MultiSigmoid, RejectsTooFewPointsAndRaggedRows) {
  EXPECT_THROW(fit_multi_sigmoid({{1, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 6}}, {0, 0, 1, 1, 1}, {}),
               Error);  // 5 points for 5 parameters
  EXPECT_THROW(fit_multi_sigmoid({{1}, {2}, {3, 1}, {4}, {5}}, {0, 0, 1, 1, 1}, {}), Error);
  EXPECT_THROW(fit_multi_sigmoid({{1}, {2}, {3}, {4}, {5}}, {0, 0, NAN, 1, 1}, {}), Error);
}

TEST(ObservationalBacktest, SyntheticTargetIsPredictedAndComputeAloneIsNot) {
  const auto s = synthetic_capability();
  ObservationalOptions o;
  o.components = 2;  // the data have rank 2
  o.cutoff_flops = std::pow(10.0, 22.25);
  o.bootstrap_resamples = 50;
  o.seed = 3;
  const auto b = observational_backtest(s.table, o);
  EXPECT_EQ(b.train_models + b.test_models, 36u);
  EXPECT_EQ(b.split, "training FLOPs <= 1.78e+22");
  ASSERT_EQ(b.tasks.size(), 1u);
  const auto& t = b.tasks[0];
  EXPECT_EQ(t.skipped, "");
  EXPECT_DOUBLE_EQ(t.observational_fit.floor, 0.25);  // held at the known chance
  EXPECT_EQ(t.held_out.size(), b.test_models);
  for (const auto& p : t.held_out) EXPECT_NEAR(p.observational, p.observed, 1e-4) << p.model;
  EXPECT_LT(t.observational_error.value, 1e-4);
  // In compute alone each family's offset is noise: the sigmoid in log FLOPs misses by far more.
  EXPECT_GT(t.compute_error.value, 0.05);
  EXPECT_LT(t.difference.interval.upper, 0);
  EXPECT_TRUE(t.observational_error.interval.contains(t.observational_error.value));
  EXPECT_EQ(b.fitted_tasks, 1u);
  EXPECT_DOUBLE_EQ(b.observational_error.value, t.observational_error.value);
  EXPECT_TRUE(b.left_out.empty());
}

TEST(ObservationalBacktest, CapabilityQuantileSplitsOnTheFirstComponent) {
  const auto s = synthetic_capability();
  ObservationalOptions o;
  o.components = 2;
  o.capability_quantile = 0.5;
  o.bootstrap_resamples = 0;
  const auto b = observational_backtest(s.table, o);
  EXPECT_EQ(b.train_models, 18u);  // the median of 36 distinct values lies between two
  EXPECT_EQ(b.test_models, 18u);
  double lowest_held_out = INFINITY;
  for (size_t i = 0; i < s.c1.size(); ++i)
    if (std::find_if(b.tasks[0].held_out.begin(), b.tasks[0].held_out.end(), [&](const auto& p) {
          return p.model == s.table.models[i].name;
        }) != b.tasks[0].held_out.end())
      lowest_held_out = std::min(lowest_held_out, s.c1[i]);
  EXPECT_GT(lowest_held_out, b.cutoff_capability);  // c1 is the first component over all models
  EXPECT_TRUE(std::isnan(b.tasks[0].observational_error.interval.lower));  // no resamples
}

TEST(ObservationalBacktest, NamesWhatItLeavesOutAndSkips) {
  auto s = synthetic_capability();
  s.table.models[0].capability[2] = NAN;   // f0-0: no mmlu score
  s.table.models[1].flops = NAN;           // f0-1: unknown compute
  s.table.target_tasks.push_back("rare");  // scored by 3 models, 1 below the cutoff
  s.table.target_chance.push_back(NAN);
  for (size_t i = 0; i < s.table.models.size(); ++i)
    s.table.models[i].targets.push_back(i >= 2 && i < 5 ? 0.5 : NAN);
  ObservationalOptions o;
  o.components = 2;
  o.cutoff_flops = 1e22;
  o.bootstrap_resamples = 10;
  const auto b = observational_backtest(s.table, o);
  ASSERT_EQ(b.left_out.size(), 2u);
  EXPECT_EQ(b.left_out[0],
            "the observational backtest: left out 1 model(s) without a score on every capability "
            "task (arc, hellaswag, mmlu, truthfulqa, winogrande): f0-0");
  EXPECT_EQ(b.left_out[1],
            "the observational backtest: left out 1 model(s) without training FLOPs: f0-1");
  EXPECT_EQ(b.train_models + b.test_models, 34u);
  EXPECT_EQ(b.tasks[1].skipped,
            "1 training model(s) with a score (needs 6) and 2 held out (needs 1)");
  EXPECT_EQ(b.fitted_tasks, 1u);
  EXPECT_DOUBLE_EQ(b.compute_error.value, b.tasks[0].compute_error.value);

  ObservationalOptions both = o;
  both.capability_quantile = 0.5;
  EXPECT_THROW(observational_backtest(s.table, both), Error);
  ObservationalOptions none = o;
  none.cutoff_flops = 1e30;  // nothing above it
  EXPECT_THROW(observational_backtest(s.table, none), Error);
}

}  // namespace
}  // namespace emlab::analysis
