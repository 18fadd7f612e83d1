// The section of final loss against N and D, built from synthetic studies with a known law: the
// Chinchilla fit recovers its parameters when the study varies both scales, a power law in N alone
// recovers the law at a fixed budget, and too few sizes say so instead of fitting.
#include <gtest/gtest.h>

#include "report/sections.hpp"
#include "support/result_set_builder.hpp"

namespace emlab::report {
namespace {

using nlohmann::json;

const analysis::ChinchillaParams kTruth{1.2, 80.0, 300.0, 0.35, 0.30};

// The estimate of `name` in the table whose title starts with `title`.
double estimate(const json& section, const std::string& title, const std::string& name) {
  for (const json& table : section["tables"])
    if (table["title"].get<std::string>().rfind(title, 0) == 0)
      for (const json& row : table["rows"])
        if (row[0] == name) return row[1].get<double>();
  ADD_FAILURE() << "no '" << name << "' in a table titled '" << title << "'\n" << section.dump(1);
  return NAN;
}

bool has_table(const json& section, const std::string& title) {
  for (const json& table : section["tables"])
    if (table["title"].get<std::string>().rfind(title, 0) == 0) return true;
  return false;
}

// The data of the chart's layer whose y field is `y`.
json layer_data(const json& chart, const std::string& y) {
  for (const json& layer : chart["spec"]["layer"])
    if (layer["encoding"]["y"]["field"] == y) return layer["data"]["values"];
  return json::array();
}

TEST(SizeSection, RecoversChinchillaWhenTheStudyVariesNAndD) {
  const results::ResultSet study =
      results::testing::chinchilla_study(kTruth, {1e4, 3e4, 1e5, 3e5}, {1e6, 3e6, 1e7});
  const json s = size_section(study);
  ASSERT_TRUE(s["missing"].is_null()) << s["missing"];
  const std::string chinchilla = "Chinchilla L(N, D)";
  EXPECT_NEAR(estimate(s, chinchilla, "E"), kTruth.E, 0.05);
  EXPECT_NEAR(estimate(s, chinchilla, "α (parameters)"), kTruth.alpha, 0.03);
  EXPECT_NEAR(estimate(s, chinchilla, "β (tokens)"), kTruth.beta, 0.03);
  EXPECT_NEAR(estimate(s, chinchilla, "a: N_opt ∝ C^a, a = β/(α+β)"), 0.30 / 0.65, 0.03);
  EXPECT_EQ(estimate(s, chinchilla, "points"), 12);  // final checkpoints only
  EXPECT_TRUE(has_table(s, "Compute-optimal allocation"));
  // Four sizes: power laws in N (over the best loss of each size); three budgets: none in D.
  EXPECT_TRUE(has_table(s, "Power law L(N)"));
  EXPECT_FALSE(has_table(s, "Power law L(D)"));

  ASSERT_EQ(s["charts"].size(), 2u);
  EXPECT_EQ(s["charts"][0]["id"], "loss-params");
  EXPECT_EQ(s["charts"][1]["id"], "loss-tokens");
  // One fitted curve per budget against N, one per size against D, each on 41 points.
  const json against_n = layer_data(s["charts"][0], "fit");
  EXPECT_EQ(against_n.size(), 3u * 41);
  const json against_d = layer_data(s["charts"][1], "fit");
  EXPECT_EQ(against_d.size(), 4u * 41);
  // The drawn curve is the fitted law: close to the truth inside the data.
  for (const json& p : against_d) {
    const double n = p["params"], d = p["tokens"];
    if (d >= 1e6 && d <= 1e7) {
      EXPECT_NEAR(p["fit"].get<double>(), kTruth.loss(n, d), 0.02);
    }
  }
  EXPECT_EQ(layer_data(s["charts"][0], "loss").size(), 12u);
}

TEST(SizeSection, OneBudgetFitsAPowerLawInNWhoseFloorHoldsTheDataTerm) {
  const double d = 1e6;
  const results::ResultSet study =
      results::testing::chinchilla_study(kTruth, {1e4, 3e4, 1e5, 3e5, 1e6}, {d});
  const json s = size_section(study);
  EXPECT_FALSE(has_table(s, "Chinchilla"));
  EXPECT_NE(s["text"].get<std::string>().find("No L(N, D) fit"), std::string::npos);
  const std::string law = "Power law L(N)";
  EXPECT_NEAR(estimate(s, law, "α"), kTruth.alpha, 0.03);
  EXPECT_NEAR(estimate(s, law, "E"), kTruth.E + kTruth.B / std::pow(d, kTruth.beta), 0.05);
  EXPECT_NE(s["text"].get<std::string>().find(
                "those lowest losses came from D = 1M, and E holds the data term B/D^β there"),
            std::string::npos)
      << s["text"];
  EXPECT_EQ(layer_data(s["charts"][0], "fit").size(), 41u);  // the power law, not Chinchilla
}

TEST(SizeSection, TooFewSizesSayWhyThereIsNoFit) {
  const results::ResultSet study =
      results::testing::chinchilla_study(kTruth, {1e4, 1e5}, {1e6, 1e7});
  const json s = size_section(study);
  ASSERT_TRUE(s["missing"].is_null());
  EXPECT_TRUE(s["tables"].empty());
  const std::string text = s["text"];
  EXPECT_NE(text.find("This study has 4 runs, 2 sizes and 2 budgets"), std::string::npos) << text;
  EXPECT_NE(text.find("No power law in N alone: it needs 4 distinct values of N; this study has 2"),
            std::string::npos)
      << text;
  for (const json& chart : s["charts"]) EXPECT_EQ(layer_data(chart, "loss").size(), 4u);
}

TEST(SizeSection, ADegenerateFitIsReportedNotDrawn) {
  const results::ResultSet study = results::testing::step_data_term_study({1e4, 3e4, 1e5});
  const json s = size_section(study);
  const std::string text = s["text"];
  EXPECT_FALSE(has_table(s, "Chinchilla"));
  EXPECT_NE(text.find("The L(N, D) fit is degenerate"), std::string::npos) << text;
  EXPECT_EQ(layer_data(s["charts"][0], "fit").size(), 0u);
  EXPECT_EQ(layer_data(s["charts"][0], "loss").size(), 9u);
}

TEST(SizeSection, NoFinishedRunIsMissingWithAReason) {
  results::ResultSet study = results::testing::chinchilla_study(kTruth, {1e4}, {1e6});
  study.runs[0].row.status = "running";
  const json s = size_section(study);
  ASSERT_TRUE(s["missing"].is_string());
  EXPECT_NE(s["missing"].get<std::string>().find("No run has finished"), std::string::npos);
}

}  // namespace
}  // namespace emlab::report
