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

}  // namespace
}  // namespace emlab::report
