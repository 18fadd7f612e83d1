#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "analysis/allocation.hpp"
#include "analysis/compute_optimal.hpp"
#include "analysis/forecast.hpp"
#include "analysis/task_curves.hpp"
#include "core/error.hpp"
#include "core/rng.hpp"
#include "imports/long_csv.hpp"
#include "synthetic.hpp"

namespace emlab::analysis {
namespace {

using testing::published_chinchilla;

TEST(InferenceAwareAllocation, WithoutInferenceIsChinchillaOptimal) {
  const auto law = published_chinchilla();
  const auto a = inference_aware_allocation(law, 2.1, 0.0);
  EXPECT_NEAR(law.loss(a.params, a.train_tokens), 2.1, 1e-9);  // on the target loss
  // Minimising compute at fixed loss is the dual of minimising loss at fixed compute.
  const auto dual = compute_optimal(law, a.total_flops);
  EXPECT_NEAR(a.params / dual.params, 1.0, 1e-4);
  EXPECT_NEAR(a.train_tokens / dual.tokens, 1.0, 1e-4);
}

TEST(InferenceAwareAllocation, InferenceDemandFavoursSmallerLongerTrainedModels) {
  const auto law = published_chinchilla();
  const double loss = 2.1, inference = 2e13;
  const auto a = inference_aware_allocation(law, loss, inference);
  const auto chinchilla = inference_aware_allocation(law, loss, 0.0);
  EXPECT_LT(a.params, chinchilla.params);
  EXPECT_GT(a.train_tokens, chinchilla.train_tokens);
  EXPECT_NEAR(law.loss(a.params, a.train_tokens), loss, 1e-9);
  const double chinchilla_total = chinchilla.train_flops + 2 * chinchilla.params * inference;
  EXPECT_LT(a.total_flops, chinchilla_total);
  // Brute-force scan of N along the iso-loss curve: no point beats the solver by more than 1e-6.
  const double n_min = std::pow(law.A / (loss - law.E), 1 / law.alpha);
  for (double f = 1.001; f < 1e4; f *= 1.01) {
    const double n = n_min * f;
    const double d =
        std::pow(law.B / (loss - law.E - law.A * std::pow(n, -law.alpha)), 1 / law.beta);
    EXPECT_GE(6 * n * d + 2 * n * inference, a.total_flops * (1 - 1e-6));
  }
  EXPECT_THROW(inference_aware_allocation(law, 1.6, 1e12), Error);  // below E
}

TEST(LossForecast, PredictsLargerModelsFromSmallerOnes) {
  const auto s = testing::synthetic_chinchilla(published_chinchilla(), 150, 0.005, 21);
  std::vector<LossPoint> points;
  for (size_t i = 0; i < s.loss.size(); ++i)
    points.push_back({fmt::format("m{}", i), s.params[i], s.tokens[i],
                      6 * s.params[i] * s.tokens[i], s.loss[i], static_cast<int>(i + 2)});
  LossForecastOptions options;
  options.bootstrap_resamples = 300;
  options.full_grid = false;
  const auto f = forecast_loss(points, ScaleAxis::params, 1e9, options);
  EXPECT_GT(f.rows.size(), 10u);
  EXPECT_EQ(f.train_points + f.rows.size(), 150u);
  for (const auto& row : f.rows) EXPECT_GT(row.scale, 1e9);
  EXPECT_LT(f.mean_abs_rel_error, 0.01);
  EXPECT_GT(f.interval_coverage, 0.7);
  options.form = "power_law";
  const auto p = forecast_loss(points, ScaleAxis::flops, 1e19, options);
  EXPECT_FALSE(p.rows.empty());
  options.form = "nope";
  EXPECT_THROW(forecast_loss(points, ScaleAxis::flops, 1e19, options), Error);
}

TEST(AbilityForecast, CrossingFromSmallModelsAndInterpolatedObservation) {
  EXPECT_DOUBLE_EQ(first_crossing({1, 2, 3}, {0.1, 0.3, 0.7}, 0.5), 2.5);
  EXPECT_TRUE(std::isnan(first_crossing({1, 2}, {0.1, 0.2}, 0.5)));
  const SigmoidParams truth{0.25, 0.95, 8.5, 4.0};
  Rng rng(5);
  std::vector<double> x, y;
  for (int i = 0; i <= 16; ++i) {
    x.push_back(7.0 + 0.2 * i);
    y.push_back(truth.at(x.back()) + 0.005 * rng.normal());
  }
  SigmoidOptions options;
  options.fix_floor = true;
  options.floor = 0.25;
  options.bootstrap_resamples = 200;
  // Train up to log10 N = 8.8 (past the midpoint), forecast where 0.8 is reached.
  const auto f = forecast_ability("t / em", x, y, false, 8.8, 0.8, options);
  const double truth_crossing = truth.crossing(0.8);
  EXPECT_NEAR(f.predicted_crossing, truth_crossing, 0.1);
  EXPECT_NEAR(f.observed_crossing, truth_crossing, 0.05);
  EXPECT_NEAR(f.crossing_error, f.predicted_crossing - f.observed_crossing, 1e-15);
  EXPECT_EQ(f.train_points + f.held_out_x.size(), x.size());
  EXPECT_TRUE(f.predicted_interval.contains(truth_crossing));
}

TEST(TaskCurves, GroupsAndOrdersBySizeOrLoss) {
  std::istringstream in(
      "model,params,tokens,loss,task,metric,value,n\n"
      "b,2e6,1e8,3.0,add,em,0.5,100\n"
      "a,1e6,1e8,3.5,add,em,0.1,100\n"
      "a,1e6,1e8,3.5,add,token_acc,0.6,100\n"
      "a,1e6,1e8,3.5,,,,\n");
  const auto table = imports::parse_measurements_csv(in, "c.csv");
  const auto by_size = task_curves(table, ScaleAxis::params);
  ASSERT_EQ(by_size.size(), 2u);
  EXPECT_EQ(by_size[0].label(), "add / em");
  EXPECT_DOUBLE_EQ(by_size[0].points[0].x, 1e6);
  EXPECT_EQ(by_size[0].lines[0], 3);
  EXPECT_DOUBLE_EQ(by_size[0].points[1].value, 0.5);
  const auto by_loss = task_curves(table, ScaleAxis::loss);
  EXPECT_DOUBLE_EQ(by_loss[0].points[0].x, 3.5);  // high loss (small model) first
}

}  // namespace
}  // namespace emlab::analysis
