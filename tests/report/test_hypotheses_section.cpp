// The Hypotheses section: every verdict with its rule's power and false-positive rate, and the
// same figures at the seed noise the run measured when the study's kind could measure it.
#include <gtest/gtest.h>

#include <string>

#include "report/sections.hpp"

namespace emlab::report {
namespace {

store::VerdictRow verdict(const std::string& study, const std::string& power_json) {
  store::VerdictRow v;
  v.study = study;
  v.verdict = "did not hold";
  v.rule = "held if the penalty grows";
  v.power_json = power_json;
  return v;
}

TEST(HypothesesSection, ShowsPowerAndThePowerAtTheMeasuredSeedNoise) {
  results::ResultSet results;
  results.verdicts.push_back(
      verdict("repetition",
              R"({"simulations": 200, "power": 0.86, "false_positive_rate": 0.005,
          "assumed_seed_noise": 0.03,
          "at_measured_noise": {"seed_noise": 0.1415, "power": 0.24, "false_positive_rate": 0}})"));
  results.verdicts.push_back(verdict("scaling", R"({"power": 1, "false_positive_rate": 0})"));
  results.verdicts.push_back(verdict("scratchpad", "{}"));
  const nlohmann::json section = hypotheses_section(results);
  const nlohmann::json& rows = section["tables"][0]["rows"];
  ASSERT_EQ(rows.size(), 3u);
  // Columns: study, hypothesis, predicts, measured, verdict, power, false-positive rate, ...
  EXPECT_EQ(rows[0][5], "0.86 (0.24 at the seed noise measured, 0.14)");
  EXPECT_EQ(rows[0][6], "0.01 (0.00 there)");
  EXPECT_EQ(rows[1][5], "1.00");
  EXPECT_EQ(rows[1][6], "0.00");
  EXPECT_EQ(rows[2][5], "not simulated");
  EXPECT_NE(section["text"].get<std::string>().find("at the measured noise"), std::string::npos);
}

// A study's controls cell names each control's verdict, and says so when a failed control leaves
// the study's own verdict unable to decide.
TEST(HypothesesSection, AStudysRowSaysWhenItsFailedControlUndercutsItsVerdict) {
  results::ResultSet results;
  results.verdicts.push_back(verdict("composition", "{}"));
  store::VerdictRow positive = verdict("composition-both", "{}");
  positive.control = "positive";
  positive.control_for = "composition";
  results.verdicts.push_back(positive);
  store::VerdictRow negative = verdict("composition-none", "{}");
  negative.control = "negative";
  negative.control_for = "composition";
  results.verdicts.push_back(negative);
  const nlohmann::json section = hypotheses_section(results);
  const nlohmann::json& rows = section["tables"][0]["rows"];
  ASSERT_EQ(rows.size(), 3u);
  const std::string cell = rows[0][7];
  EXPECT_NE(cell.find("composition-both (positive): did not hold: the positive control did not "
                      "say held"),
            std::string::npos)
      << cell;
  EXPECT_NE(cell.find("composition-none (negative): did not hold"), std::string::npos) << cell;
  EXPECT_EQ(cell.find("negative control did not"), std::string::npos) << cell;
  EXPECT_EQ(rows[1][7], "positive control of composition: the opposite of what it must");
}

}  // namespace
}  // namespace emlab::report
