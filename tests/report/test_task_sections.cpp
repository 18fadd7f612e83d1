// The task sections' mirage check on synthetic runs: an exact match that is exactly p^L of the
// token accuracy agrees everywhere, one whose errors come together in the same answers does not,
// and a task without answer lengths (multiple choice) gets no check.
#include <gtest/gtest.h>

#include "report/sections.hpp"
#include "support/result_set_builder.hpp"

namespace emlab::report {
namespace {

using nlohmann::json;

const analysis::ChinchillaParams kTruth{1.2, 80.0, 300.0, 0.35, 0.30};

// Five sizes whose token accuracy climbs 0.5 -> 0.9 and whose exact match is p^3 times `factor`.
results::ResultSet mirage_study(double factor) {
  results::ResultSet study =
      results::testing::chinchilla_study(kTruth, {1e4, 3e4, 1e5, 3e5, 1e6}, {1e6});
  const double accuracy[] = {0.5, 0.6, 0.7, 0.8, 0.9};
  for (size_t i = 0; i < study.runs.size(); ++i) {
    const double em = std::min(1.0, factor * std::pow(accuracy[i], 3));
    results::testing::add_final_metric(study.runs[i], "add", "exact_match", em, false, NAN, 400);
    results::testing::add_final_metric(study.runs[i], "add", "token_accuracy", accuracy[i], true);
    results::testing::add_final_metric(study.runs[i], "kb", "mc_grade", 0.5, false, 0.25);
  }
  study.answer_tokens["add"] = 3;
  return study;
}

const json* chart_with_id(const json& section, const std::string& id) {
  for (const json& c : section["charts"])
    if (c["id"] == id) return &c;
  return nullptr;
}

TEST(TaskSections, ExactMatchThatIsPToTheLAgrees) {
  const auto sections = task_sections(mirage_study(1.0));
  ASSERT_EQ(sections.size(), 2u);  // add, kb
  const json& add = sections[0];
  const json* mirage = chart_with_id(add, "mirage");
  ASSERT_NE(mirage, nullptr);
  EXPECT_EQ((*mirage)["spec"]["data"]["values"].size(), 10u);  // observed and p^L, 5 sizes
  const std::string text = add["text"];
  EXPECT_NE(text.find("L = 3.00 answer tokens"), std::string::npos) << text;
  EXPECT_NE(text.find("by 0.000 RMS"), std::string::npos) << text;
  EXPECT_NE(text.find("100% of the predictions fall inside"), std::string::npos) << text;
  EXPECT_EQ(chart_with_id(sections[1], "mirage"), nullptr);  // kb: no answer length
}

TEST(TaskSections, ErrorsThatComeTogetherLeaveExactMatchAboveP) {
  const std::string text = task_sections(mirage_study(1.5))[0]["text"];
  // Observed 1.5 p^3: differences 0.5 p^3 = 0.0625, 0.108, 0.1715, 0.256, (1 − 0.729 = 0.271).
  const double rms = std::sqrt(
      (0.0625 * 0.0625 + 0.108 * 0.108 + 0.1715 * 0.1715 + 0.256 * 0.256 + 0.271 * 0.271) / 5);
  const double mean = (0.0625 + 0.108 + 0.1715 + 0.256 + 0.271) / 5;
  EXPECT_NE(text.find(fmt::format("by {:.3f} RMS (at most 0.271; observed above p^L by {:.3f} on "
                                  "average)",
                                  rms, mean)),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace emlab::report
