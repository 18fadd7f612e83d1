// The whole report of a synthetic leaderboard with the standard benchmarks
// (tests/support/capability_study.hpp) opened in headless chromium: the observational scaling
// section's capability space and backtest draw with a silent console, and a screenshot of the
// section lands in test-output/report/ for a person to look at.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "report/page.hpp"
#include "report/report_builder.hpp"
#include "support/capability_study.hpp"
#include "support/chart_checks.hpp"
#include "support/dom_query.hpp"
#include "support/headless_browser.hpp"

namespace emlab::report {
namespace {

namespace fs = std::filesystem;
using namespace emlab::testing;

TEST(ObservationalPageBrowser, CapabilitySpaceAndBacktestDraw) {
  if (find_chromium().empty()) GTEST_FAIL() << "chromium is missing: run scripts/setup.sh";
  const nlohmann::json report = build_report(synthetic_capability_study());
  const fs::path dir = fs::path(EMLAB_CLI).parent_path() / "test-output" / "report";
  fs::create_directories(dir);
  const fs::path html = dir / "observational.html";
  std::ofstream(html, std::ios::binary) << render_page(report);

  const BrowserRun run = dump_dom(html);
  ASSERT_TRUE(run.ok()) << run.error;
  expect_report_drawn(run, report);
  for (const char* id : {"chart-observational-space", "chart-observational-backtest"})
    EXPECT_EQ(attribute(opening_tag_with_id(run.dom, id), "data-status"), "ok") << id;
  // The backtest's legend names both forecasts; the section names the model left out.
  EXPECT_NE(run.dom.find(">compute-only<"), std::string::npos);
  EXPECT_NE(run.dom.find("without training FLOPs: f5-5"), std::string::npos);

  // The screenshot: a page of this section alone (on the whole page it lies below 5000 pixels).
  nlohmann::json alone = report;
  alone["sections"] = nlohmann::json::array({report["sections"].back()});
  const fs::path section_html = dir / "observational_section.html";
  std::ofstream(section_html, std::ios::binary) << render_page(alone);
  const BrowserRun shot = screenshot(section_html, dir / "observational.png", 1400, 2200);
  EXPECT_TRUE(shot.ok()) << shot.error;
}

}  // namespace
}  // namespace emlab::report
