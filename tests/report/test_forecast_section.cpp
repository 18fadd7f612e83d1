// The forecast backtest on synthetic studies with a known law: with sizes and budgets varied it
// fits Chinchilla's L(N, D) to the smaller runs and predicts the held-out largest within a
// fraction of a percent; with one budget, a power law in compute (exact there) does the same.
#include <gtest/gtest.h>

#include <cmath>

#include "report/sections.hpp"
#include "support/result_set_builder.hpp"

namespace emlab::report {
namespace {

using nlohmann::json;

const analysis::ChinchillaParams kTruth{1.2, 80.0, 300.0, 0.35, 0.30};

// The relative errors of the held-out table ("+0.12%" -> 0.12).
std::vector<double> errors_percent(const json& section) {
  std::vector<double> out;
  for (const json& row : section["tables"][0]["rows"]) {
    std::string cell = row[5];
    out.push_back(std::stod(cell.substr(0, cell.size() - 1)));
  }
  return out;
}

TEST(ForecastSection, ChinchillaPredictsTheLargestRunsWhenNAndDVary) {
  const json s = forecast_section(
      results::testing::chinchilla_study(kTruth, {1e4, 3e4, 1e5, 3e5}, {1e6, 3e6, 1e7}));
  ASSERT_TRUE(s["missing"].is_null()) << s["missing"];
  const std::string text = s["text"];
  EXPECT_EQ(text.find("<p>Chinchilla's L(N, D) fitted to the 9 runs"), 0u) << text;
  const auto errors = errors_percent(s);
  ASSERT_EQ(errors.size(), 3u);  // the largest quarter of 12
  for (double e : errors) EXPECT_LT(std::abs(e), 1.0) << text;
}

TEST(ForecastSection, OneBudgetUsesAPowerLawInCompute) {
  const json s = forecast_section(
      results::testing::chinchilla_study(kTruth, {1e4, 2e4, 5e4, 1e5, 2e5, 5e5}, {1e6}));
  ASSERT_TRUE(s["missing"].is_null()) << s["missing"];
  const std::string text = s["text"];
  EXPECT_EQ(text.find("<p>A power law in compute fitted to the 5 runs"), 0u) << text;
  const auto errors = errors_percent(s);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_LT(std::abs(errors[0]), 1.0) << text;
}

TEST(ForecastSection, ADegenerateChinchillaFitFallsBackToAPowerLaw) {
  const results::ResultSet study = results::testing::step_data_term_study({1e4, 3e4, 1e5, 3e5});
  const json s = forecast_section(study);
  const std::string text = s["text"];
  EXPECT_EQ(text.find("<p>A power law in compute (Chinchilla's L(N, D) is degenerate on these "
                      "runs) fitted to the 9 runs"),
            0u)
      << text;
}

TEST(ForecastSection, FourRunsAreTooFewToHoldOneOut) {
  const json s =
      forecast_section(results::testing::chinchilla_study(kTruth, {1e4, 3e4}, {1e6, 3e6}));
  ASSERT_TRUE(s["missing"].is_string());
  EXPECT_NE(s["missing"].get<std::string>().find("at least 5 completed runs"), std::string::npos);
}

TEST(ForecastSection, RunsOfOneComputeHaveNothingLargerToPredict) {
  // The arms of a repetition study: one model and budget, several runs each.
  results::ResultSet study;
  for (int i = 0; i < 12; ++i)
    study.runs.push_back(
        results::testing::completed_run("R" + std::to_string(i), 7e4, 2e6, 2.0 + 0.01 * i));
  const json s = forecast_section(study);
  ASSERT_TRUE(s["missing"].is_string());
  EXPECT_NE(s["missing"].get<std::string>().find("nothing larger to predict"), std::string::npos);
  // Nor is there a law in compute to fit through one compute.
  const std::string compute = scaling_section(study)["text"];
  EXPECT_NE(compute.find("<b>No fit</b>: a power law in compute needs at least 4 distinct "
                         "training computes; the 12 completed runs here have 1."),
            std::string::npos)
      << compute;
}

}  // namespace
}  // namespace emlab::report
