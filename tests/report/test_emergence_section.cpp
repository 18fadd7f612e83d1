// The verdict section on a synthetic study of five sizes whose metrics have hand-set shapes: a
// 0/1 metric that jumps is called emergent, the same task's steady continuous metric is not tested
// but has the straight line's breakthroughness (m − 1 = 4), a multiple-choice grade stuck at chance
// is never above it, and a lower-is-better metric is marked as such.
#include <gtest/gtest.h>

#include "report/sections.hpp"
#include "support/result_set_builder.hpp"

namespace emlab::report {
namespace {

using nlohmann::json;

const analysis::ChinchillaParams kTruth{1.2, 80.0, 300.0, 0.35, 0.30};

results::ResultSet five_sizes() {
  results::ResultSet study =
      results::testing::chinchilla_study(kTruth, {1e4, 3e4, 1e5, 3e5, 1e6}, {1e6});
  const double jump[] = {0.0, 0.01, 0.0, 0.55, 0.9};
  const double steady[] = {0.3, 0.4, 0.5, 0.6, 0.7};
  const double at_chance[] = {0.25, 0.24, 0.26, 0.25, 0.25};
  const double distance[] = {2.0, 1.6, 1.2, 0.8, 0.4};
  for (size_t i = 0; i < study.runs.size(); ++i) {
    results::RunResults& run = study.runs[i];
    results::testing::add_final_metric(run, "add", "exact_match", jump[i], false, NAN, 200);
    results::testing::add_final_metric(run, "add", "token_accuracy", steady[i], true);
    results::testing::add_final_metric(run, "add", "token_edit_distance", distance[i], true);
    results::testing::add_final_metric(run, "kb", "mc_grade", at_chance[i], false, 0.25, 200);
  }
  return study;
}

// The table row of task/metric.
json row_of(const json& section, const std::string& task, const std::string& metric) {
  for (const json& row : section["tables"][0]["rows"])
    if (row[0] == task && row[1] == metric) return row;
  ADD_FAILURE() << "no row " << task << " / " << metric;
  return json::array();
}

TEST(EmergenceSection, JudgesEveryCurveAndNamesTheEmergentOne) {
  const json s = emergence_section(five_sizes());
  ASSERT_TRUE(s["missing"].is_null()) << s["missing"];
  ASSERT_EQ(s["tables"][0]["rows"].size(), 4u);

  const json jump = row_of(s, "add", "exact_match");
  EXPECT_EQ(jump[2], "0/1");
  EXPECT_EQ(jump[5], 5);
  EXPECT_EQ(jump[6], 1);  // one run per size
  EXPECT_EQ(jump[10].get<std::string>().rfind("emergent (p ", 0), 0u) << jump;
  EXPECT_EQ(jump[11], "300k");  // the first size of the run above chance
  // I = 0.9; steps 0.01, −0.01, 0.55, 0.35: root-median-square sqrt((0.0001 + 0.1225)/2).
  EXPECT_EQ(jump[8], fmt::format("{:.3g}", 0.9 / std::sqrt((0.0001 + 0.1225) / 2)));

  const json steady = row_of(s, "add", "token_accuracy");
  EXPECT_EQ(steady[8], "4");  // a straight line over 5 sizes: B = L = m − 1
  EXPECT_EQ(steady[9], "4");
  EXPECT_EQ(steady[10], "not tested: continuous, no chance level");

  const json distance = row_of(s, "add", "token_edit_distance");
  EXPECT_EQ(distance[8], "4");  // falls steadily, and lower is better: it improves, B > 0
  EXPECT_EQ(distance[10], "not tested: lower is better");

  const json chance = row_of(s, "kb", "mc_grade");
  EXPECT_EQ(chance[10].get<std::string>().rfind("never above chance", 0), 0u) << chance;
  EXPECT_EQ(chance[11], "");  // no size at which it emerges

  const std::string text = s["text"];
  EXPECT_NE(text.find("Emergent with size by the Wei test (1):</b> add / exact_match @ D=1M"),
            std::string::npos)
      << text;
  ASSERT_EQ(s["charts"].size(), 1u);
  EXPECT_EQ(s["charts"][0]["spec"]["data"]["values"].size(), 4u * 5);
}

TEST(EmergenceSection, SeedsAreAveragedAndAPointWithoutUncertaintyIsNotTested) {
  results::ResultSet study = five_sizes();
  results::ResultSet seed2 = five_sizes();
  for (results::RunResults& run : seed2.runs) {
    run.row.plan.name += "-s2";
    for (auto& m : run.checkpoints.back().metrics)
      if (m.metric == "exact_match") m.value = 0;  // a seed that never answers
  }
  study.runs.insert(study.runs.end(), seed2.runs.begin(), seed2.runs.end());
  store::MetricRow& grade = study.runs[0].checkpoints.back().metrics[3];  // kb / mc_grade
  grade.n = 0;
  grade.standard_error = NAN;
  const json s = emergence_section(study);
  const json jump = row_of(s, "add", "exact_match");
  EXPECT_EQ(jump[6], 2);           // two seeds per size
  EXPECT_EQ(jump[7], "0 → 0.45");  // the jump halved by the seed that never answers
  EXPECT_EQ(row_of(s, "kb", "mc_grade")[10],
            "not tested: a point has neither a standard error nor n");
}

TEST(EmergenceSection, TwoSizesAreNotACurve) {
  results::ResultSet study = results::testing::chinchilla_study(kTruth, {1e4, 1e5}, {1e6});
  for (results::RunResults& run : study.runs)
    results::testing::add_final_metric(run, "add", "exact_match", 0.5, false);
  const json s = emergence_section(study);
  ASSERT_TRUE(s["missing"].is_string());
  EXPECT_NE(s["missing"].get<std::string>().find("at least 3 sizes"), std::string::npos);
}

}  // namespace
}  // namespace emlab::report
