// The report's observational scaling section (Ruan et al. 2024) on a synthetic leaderboard with a
// known capability space (tests/support/capability_study.hpp): present only for imported models
// with the standard benchmarks; the capability space coloured by family, the family offsets, and
// a backtest at the median compute that predicts the target far better than compute alone; the
// model without FLOPs named. The standard benchmarks are found by name.
#include <gtest/gtest.h>

#include "report/report_builder.hpp"
#include "report/sections.hpp"
#include "results/standard_benchmarks.hpp"
#include "support/capability_study.hpp"
#include "support/result_set_builder.hpp"

namespace emlab::report {
namespace {

using nlohmann::json;

const json* find_chart(const json& section, const std::string& id) {
  for (const json& c : section["charts"])
    if (c["id"] == id) return &c["spec"];
  return nullptr;
}

TEST(StandardBenchmarks, FoundByNameWithShotsAndPreferredMetrics) {
  results::ResultSet board;
  results::RunResults a = results::testing::imported_model("a", "x", 1e9, 1e12);
  results::RunResults b = results::testing::imported_model("b", "x", 2e9, 1e12);
  for (auto* run : {&a, &b}) {
    results::testing::add_final_metric(*run, "arc_challenge_25shot", "acc", 0.3, false);
    results::testing::add_final_metric(*run, "arc_challenge_25shot", "acc_norm", 0.3, false);
    results::testing::add_final_metric(*run, "hellaswag_10shot", "acc_norm", 0.5, false);
    results::testing::add_final_metric(*run, "truthfulqa_mc2", "mc2", 0.4, true);
    results::testing::add_final_metric(*run, "lambada", "acc", 0.4, false);
  }
  results::testing::add_final_metric(a, "mmlu", "acc", 0.3, false);  // one model only: still found
  board.runs = {a, b};
  const auto tasks = results::standard_capability_tasks(board);
  ASSERT_EQ(tasks.size(), 4u);
  EXPECT_EQ(tasks[0].label, "arc_challenge_25shot:acc_norm");  // acc_norm before acc
  EXPECT_EQ(tasks[1].label, "hellaswag_10shot");
  EXPECT_EQ(tasks[2].label, "mmlu");
  EXPECT_EQ(tasks[3].label, "truthfulqa_mc2");
}

TEST(ObservationalSection, CapabilitySpaceOffsetsAndBacktestOfASyntheticLeaderboard) {
  const results::ResultSet board = testing::synthetic_capability_study();
  const json section = observational_section(board);
  ASSERT_FALSE(section.is_null());
  EXPECT_EQ(section["id"], "observational");
  EXPECT_TRUE(section["missing"].is_null());
  const json* space = find_chart(section, "space");
  ASSERT_NE(space, nullptr);
  EXPECT_EQ((*space)["data"]["values"].size(), 36u);  // the FLOPs are not needed here
  EXPECT_EQ((*space)["encoding"]["color"]["field"], "shown");
  const json* backtest = find_chart(section, "backtest");
  ASSERT_NE(backtest, nullptr);
  // 35 models with FLOPs, 18 at or below the median: 17 held out, two forecasts each.
  EXPECT_EQ((*backtest)["data"]["values"].size(), 34u);
  const std::string text = section["text"];
  EXPECT_NE(text.find("arc, hellaswag, mmlu, truthfulqa, winogrande over 36 models"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("fitted on the 18 models at or below the median"), std::string::npos) << text;
  EXPECT_NE(text.find("PC1 = 0.200·log10(FLOPs)"), std::string::npos) << text;  // the true slope
  ASSERT_EQ(section["tables"].size(), 3u);
  const json& offsets = section["tables"][1];
  EXPECT_EQ(offsets["title"], "Family compute efficiency");
  // Against f0 (6 models, first by name): f3, the most efficient (offset 0.5), needs
  // 10^(−0.5/0.2) times its compute, f4 (offset −0.45) 10^(0.45/0.2) times.
  EXPECT_EQ(offsets["columns"][3], "compute vs f0");
  EXPECT_EQ(offsets["rows"][0][0], "f3");
  EXPECT_EQ(offsets["rows"][0][3], "0.00316");
  EXPECT_EQ(offsets["rows"][5][0], "f4");
  EXPECT_EQ(offsets["rows"][5][3], "178");
  const json& errors = section["tables"][2]["rows"][0];
  EXPECT_EQ(errors[0], "emergent");
  EXPECT_EQ(errors[3], "0.25");
  EXPECT_EQ(errors[4].get<std::string>().substr(0, 5), "0.000");  // observational: exact
  EXPECT_GT(std::stod(errors[5].get<std::string>()), 0.05);       // compute-only: not
  ASSERT_EQ(section["left_out"].size(), 1u);
  EXPECT_EQ(section["left_out"][0],
            "the observational backtest: left out 1 model(s) without training FLOPs: f5-5");
}

TEST(ObservationalSection, OnlyForImportedModelsWithTheStandardBenchmarks) {
  // Only arc among the standard benchmarks.
  EXPECT_TRUE(observational_section(results::testing::leaderboard_study()).is_null());
  // Our own sweeps.
  EXPECT_TRUE(observational_section(results::testing::chinchilla_study(
                                        analysis::ChinchillaParams{1.7, 400, 400, 0.34, 0.28},
                                        {1e6, 3e6, 1e7}, {1e8, 3e8}))
                  .is_null());
  // The whole report places it last.
  const json report = build_report(testing::synthetic_capability_study());
  EXPECT_EQ(report["sections"].back()["id"], "observational");
}

}  // namespace
}  // namespace emlab::report
