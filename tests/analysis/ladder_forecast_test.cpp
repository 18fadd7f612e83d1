// Two-step ladders on synthetic models whose task loss follows a known Chinchilla law and whose
// accuracy is a known sigmoid of that loss: the chained fits must predict the larger models'
// accuracy, recover the sigmoid, and refuse designs they cannot fit.
#include "analysis/ladder_forecast.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>

#include "analysis/task_loss.hpp"
#include "core/error.hpp"
#include "core/rng.hpp"
#include "support/error_message.hpp"
#include "synthetic.hpp"

namespace emlab::analysis {
namespace {

using emlab::testing::error_message;
using testing::published_chinchilla;

const SigmoidParams kTruthSigmoid{0.25, 0.95, 3.0, -4.0};  // chance 0.25, the rise near loss 3

// Sizes 1e7..1e10 (half-decade steps) on the given token budgets; accuracy ± 0.004 of noise.
std::vector<LadderModel> ladder_models(const std::vector<double>& budgets, uint64_t seed) {
  Rng rng(seed);
  std::vector<LadderModel> models;
  for (double log_n = 7; log_n <= 10.01; log_n += 0.5)
    for (double d : budgets) {
      const double n = std::pow(10.0, log_n);
      const double loss = published_chinchilla().loss(n, d) * std::exp(0.002 * rng.normal());
      LadderModel m;
      m.scale = {fmt::format("N{}-D{}", log_n, d), n, d, 6 * n * d, loss};
      m.accuracy = kTruthSigmoid.at(loss) + 0.004 * rng.normal();
      models.push_back(m);
    }
  return models;
}

LadderOptions options(const std::string& form) {
  LadderOptions o;
  o.loss.form = form;
  o.loss.power_law_axis = ScaleAxis::params;
  o.loss.bootstrap_resamples = 100;
  o.loss.full_grid = false;
  o.accuracy.fix_floor = true;
  o.accuracy.floor = 0.25;
  return o;
}

TEST(LadderForecast, ChinchillaLadderPredictsTheLargerModelsAccuracy) {
  const auto models = ladder_models({1e9, 4e9, 2e10}, 7);
  const auto f =
      forecast_ladder("synthetic", models, ScaleAxis::params, 1.01e9, options("chinchilla"));
  EXPECT_EQ(f.train_models, 15u);  // 5 sizes x 3 budgets; 1e9.5 and 1e10 held out
  ASSERT_EQ(f.rows.size(), 6u);
  EXPECT_NEAR(f.loss_to_accuracy.midpoint, kTruthSigmoid.midpoint, 0.05);
  EXPECT_NEAR(f.loss_to_accuracy.slope, kTruthSigmoid.slope, 0.4);
  EXPECT_NEAR(f.loss_to_accuracy.ceiling, kTruthSigmoid.ceiling, 0.03);
  for (const LadderRow& r : f.rows) {
    // The observed loss is the law's times (1 ± 0.2%).
    EXPECT_NEAR(r.predicted_loss / r.observed_loss, 1.0, 0.01) << r.model;
    EXPECT_DOUBLE_EQ(r.predicted_accuracy, f.loss_to_accuracy.at(r.predicted_loss)) << r.model;
    EXPECT_NEAR(r.predicted_accuracy, kTruthSigmoid.at(r.predicted_loss), 0.005) << r.model;
    EXPECT_NEAR(r.accuracy_error, 0.0, 0.02) << r.model;
    EXPECT_LT(r.accuracy_interval.lower, r.predicted_accuracy) << r.model;
    EXPECT_GT(r.accuracy_interval.upper, r.predicted_accuracy) << r.model;
  }
  EXPECT_LT(f.mean_abs_accuracy_error, 0.012);
  EXPECT_GE(f.accuracy_interval_coverage, 0.5);
}

TEST(LadderForecast, OneBudgetLadderFitsAPowerLawInN) {
  const auto models = ladder_models({4e9}, 11);
  const auto f =
      forecast_ladder("synthetic", models, ScaleAxis::params, 1.01e9, options("power_law"));
  EXPECT_EQ(f.train_models, 5u);
  ASSERT_EQ(f.rows.size(), 2u);
  // One budget: L(N) = E' + A/N^a with E' = E + B/D^b, which the power law recovers.
  for (const LadderRow& r : f.rows) EXPECT_NEAR(r.predicted_loss / r.observed_loss, 1.0, 0.02);
  EXPECT_LT(f.mean_abs_accuracy_error, 0.03);
}

TEST(LadderForecast, DesignsItCannotFitFailWithTheReason) {
  const auto one_budget = ladder_models({4e9}, 3);
  EXPECT_NE(error_message([&] {
              forecast_ladder("t", one_budget, ScaleAxis::params, 1.01e9, options("chinchilla"));
            }).find("at least 2 token budgets"),
            std::string::npos);
  EXPECT_NE(error_message([&] {
              forecast_ladder("t", one_budget, ScaleAxis::params, 1.01e8, options("power_law"));
            }).find("3 model(s) with params <= 1.01e+08; the two steps need at least 4"),
            std::string::npos);
  EXPECT_NE(error_message([&] {
              forecast_ladder("t", one_budget, ScaleAxis::params, 1e11, options("power_law"));
            }).find("no model above the cutoff"),
            std::string::npos);
}

TEST(TaskLoss, EachMetricBecomesALossInItsUnit) {
  EXPECT_DOUBLE_EQ(task_loss_from("ppl", std::exp(2.0)).value(), 2.0);
  EXPECT_DOUBLE_EQ(task_loss_from("word_perplexity", 1.0).value(), 0.0);
  EXPECT_DOUBLE_EQ(task_loss_from("target_logprob", -1.25).value(), 1.25);
  EXPECT_DOUBLE_EQ(task_loss_from("bits_per_byte", 0.9).value(), 0.9);
  EXPECT_FALSE(task_loss_from("acc", 0.5).has_value());
  EXPECT_NE(error_message([] { task_loss_from("ppl", 0.5); }).find("at least 1"),
            std::string::npos);
  EXPECT_NE(error_message([] { task_loss_from("target_logprob", 0.1); }).find("at most 0"),
            std::string::npos);
}

}  // namespace
}  // namespace emlab::analysis
