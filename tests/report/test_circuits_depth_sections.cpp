// The Circuits section on probes whose induction score rises at a known step, and the Depth
// section on hop accuracies with a known staircase; both absent without their data.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "probe/probe_registry.hpp"
#include "report/sections.hpp"
#include "support/result_set_builder.hpp"

namespace emlab::report {
namespace {

using results::testing::add_final_metric;
using results::testing::completed_run;

// A run probed at 12 log-spaced checkpoints: head L1H0's induction score is a sigmoid in log
// step centred on step 1000; the other head stays at 0.05.
results::RunResults probed_run() {
  results::RunResults run = completed_run("ind", 1e5, 1e6, 2.0);
  run.checkpoints.clear();
  for (int i = 0; i < 12; ++i) {
    results::CheckpointResults c;
    c.row.step = int64_t(std::llround(100 * std::pow(10.0, i / 5.5)));
    const double s = 0.9 / (1 + std::exp(-5 * (std::log(double(c.row.step)) - std::log(1000.0))));
    c.probes = {{"induction", 1, 0, s, 1},
                {"induction", 1, 1, 0.05, 1},
                {"induction", 0, 0, 0.02, 1},
                {"previous_token", 0, 0, 0.9, 1},
                {"repeat_loss_first", -1, -1, 3.4, 1},
                {"repeat_loss_repeated", -1, -1, 3.4 - 3 * s, 1},
                {"icl_score", -1, -1, -s, 1}};
    run.checkpoints.push_back(c);
  }
  return run;
}

const nlohmann::json& table_rows(const nlohmann::json& section) {
  return section["tables"][0]["rows"];
}

TEST(CircuitsSection, NamesTheBestHeadAndThePhaseChange) {
  results::ResultSet study;
  study.runs.push_back(probed_run());
  const nlohmann::json section = circuits_section(study);
  ASSERT_FALSE(section.is_null());
  const auto& row = table_rows(section)[0];
  EXPECT_EQ(row[1], "L1H0");
  // The checkpoints are 1.52x apart; the steepest interval's middle lies within one of 1000.
  const double step = std::stod(row[3].get<std::string>());
  EXPECT_GT(step, 1000 / 1.3);
  EXPECT_LT(step, 1000 * 1.3);
  // The repeated-copy loss falls with the score: from near 3.4 before the rise to near 0.7 after.
  EXPECT_GT(std::stod(row[5].get<std::string>()), 3.0);
  EXPECT_LT(std::stod(row[6].get<std::string>()), 1.0);
  EXPECT_EQ(row[7], "yes");
  EXPECT_EQ(section["charts"].size(), 3u);
  // Without probes there is no section.
  results::ResultSet plain;
  plain.runs.push_back(completed_run("plain", 1e5, 1e6, 2.0));
  EXPECT_TRUE(circuits_section(plain).is_null());
}

TEST(DepthSection, GivesTheLargestKSolvedPerDepth) {
  results::ResultSet study;
  for (int layers : {1, 2, 3}) {
    results::RunResults run = completed_run("L" + std::to_string(layers), 1e5 * layers, 1e6, 2.0);
    run.architecture = results::Architecture{.layers = layers};
    for (int k = 1; k <= 4; ++k)
      add_final_metric(run, "hop(k=" + std::to_string(k) + ")", "exact_match",
                       k <= layers ? 0.99 : 0.3, false);
    add_final_metric(run, "add(digits=2)", "exact_match", 0.5, false);  // not a hop task
    study.runs.push_back(run);
  }
  const nlohmann::json section = depth_section(study);
  ASSERT_FALSE(section.is_null());
  const auto& rows = table_rows(section);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], nlohmann::json({"1", "1", "4"}));
  EXPECT_EQ(rows[2], nlohmann::json({"3", "3", "4"}));
  EXPECT_EQ(section["charts"][0]["spec"]["data"]["values"].size(), 12u);
  results::ResultSet none;
  none.runs.push_back(completed_run("plain", 1e5, 1e6, 2.0));
  EXPECT_TRUE(depth_section(none).is_null());
}

TEST(DepthSection, ReadsTheHopProbeWithKZeroAsAControlColumn) {
  results::ResultSet study;
  for (int layers : {1, 2}) {
    results::RunResults run = completed_run("L" + std::to_string(layers), 1e5 * layers, 1e6, 2.0);
    run.architecture = results::Architecture{.layers = layers};
    for (int k = 0; k <= 3; ++k)
      run.checkpoints.back().probes.push_back(
          {probe::hop_accuracy_score(k), -1, -1, k < layers ? 0.99 : 0.4, 7});
    study.runs.push_back(run);
  }
  const nlohmann::json section = depth_section(study);
  ASSERT_FALSE(section.is_null());
  const auto& rows = table_rows(section);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], nlohmann::json({"1", "0", "4"}));  // k = 0 right, k = 1 not
  EXPECT_EQ(rows[1], nlohmann::json({"2", "1", "4"}));
  const auto& cells = section["charts"][0]["spec"]["data"]["values"];
  ASSERT_EQ(cells.size(), 8u);
  EXPECT_EQ(cells[0]["k"], 0);
  EXPECT_NE(section["text"].get<std::string>().find("labelled position"), std::string::npos);
}

}  // namespace
}  // namespace emlab::report
