// A whole report of a synthetic study that varies N and D, opened in headless chromium: the
// Chinchilla curves, the verdict table and the resolution bands all draw, the console is silent,
// and a screenshot lands in test-output/report/ for a person to look at.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "report/page.hpp"
#include "report/report_builder.hpp"
#include "report/sections.hpp"
#include "support/chart_checks.hpp"
#include "support/dom_query.hpp"
#include "support/headless_browser.hpp"
#include "support/result_set_builder.hpp"

namespace emlab::report {
namespace {

namespace fs = std::filesystem;
using namespace emlab::testing;

const analysis::ChinchillaParams kTruth{1.2, 80.0, 300.0, 0.35, 0.30};

// Twelve runs (4 sizes x 3 budgets) whose exact match jumps with size and token accuracy climbs.
results::ResultSet fitted_study() {
  results::ResultSet study =
      results::testing::chinchilla_study(kTruth, {1e4, 3e4, 1e5, 3e5}, {1e6, 3e6, 1e7});
  for (results::RunResults& run : study.runs) {
    const double loss = run.last()->row.validation_loss;
    const double accuracy = std::clamp((8.0 - loss) / 4.0, 0.05, 0.95);  // losses run 4.5 to 8
    results::testing::add_final_metric(run, "add", "exact_match", loss < 5.0 ? 0.8 : 0.0, false,
                                       NAN, 100);
    results::testing::add_final_metric(run, "add", "token_accuracy", accuracy, true);
    results::testing::add_final_metric(run, "kb", "mc_grade", 0.25 + accuracy / 2, false, 0.25, 64);
    for (int step = 1; step <= 40; ++step) run.step_losses.emplace_back(step, loss + 2.0 / step);
  }
  study.answer_tokens["add"] = 3.5;  // a generation task: the mirage check applies
  return study;
}

fs::path output_folder() {
  const fs::path dir = fs::path(EMLAB_CLI).parent_path() / "test-output" / "report";
  fs::create_directories(dir);
  return dir;
}

TEST(StudyPageBrowser, FitsVerdictsAndResolutionBandsDraw) {
  if (find_chromium().empty()) GTEST_FAIL() << "chromium is missing: run scripts/setup.sh";
  const nlohmann::json report = build_report(fitted_study());
  const fs::path html = output_folder() / "synthetic_study.html";
  std::ofstream(html, std::ios::binary) << render_page(report);

  const BrowserRun run = dump_dom(html);
  ASSERT_TRUE(run.ok()) << run.error;
  expect_report_drawn(run, report);
  for (const char* id : {"chart-size-loss-params", "chart-size-loss-tokens",
                         "chart-emergence-shapes", "chart-task-0-metrics", "chart-task-0-mirage"})
    EXPECT_EQ(attribute(opening_tag_with_id(run.dom, id), "data-status"), "ok") << id;
  EXPECT_NE(run.dom.find("Chinchilla L(N, D)"), std::string::npos);
  EXPECT_NE(run.dom.find("Compute-optimal allocation"), std::string::npos);
  EXPECT_NE(run.dom.find("Verdict of every curve"), std::string::npos);
  // The resolution band: one rect per 0/1 panel (exact match; multiple-choice grade), drawn as
  // SVG paths inside a rect-mark group of the task charts.
  EXPECT_GE(count_occurrences(run.dom, "mark-rect role-mark"), 2u);

  const fs::path png = output_folder() / "synthetic_study.png";
  const BrowserRun shot = screenshot(html, png, 1400, 6000);
  EXPECT_TRUE(shot.ok()) << shot.error;
}

}  // namespace
}  // namespace emlab::report
