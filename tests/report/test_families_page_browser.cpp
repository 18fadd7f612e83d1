// The whole report of a synthetic leaderboard (55 imported models of 25 families, one family
// without tokens or FLOPs) opened in headless chromium: the families' charts against FLOPs and
// parameters and every task chart draw with a silent console, the legend names the grey group,
// and a screenshot lands in test-output/report/ for a person to look at.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "report/page.hpp"
#include "report/report_builder.hpp"
#include "support/chart_checks.hpp"
#include "support/dom_query.hpp"
#include "support/headless_browser.hpp"
#include "support/result_set_builder.hpp"

namespace emlab::report {
namespace {

namespace fs = std::filesystem;
using namespace emlab::testing;

TEST(FamiliesPageBrowser, TwentyFiveFamiliesDrawWithTheLargestNamed) {
  if (find_chromium().empty()) GTEST_FAIL() << "chromium is missing: run scripts/setup.sh";
  const nlohmann::json report = build_report(results::testing::leaderboard_study());
  const fs::path dir = fs::path(EMLAB_CLI).parent_path() / "test-output" / "report";
  fs::create_directories(dir);
  const fs::path html = dir / "leaderboard.html";
  std::ofstream(html, std::ios::binary) << render_page(report);

  const BrowserRun run = dump_dom(html);
  ASSERT_TRUE(run.ok()) << run.error;
  expect_report_drawn(run, report);
  for (const char* id : {"chart-families-flops", "chart-families-params", "chart-task-0-metrics"})
    EXPECT_EQ(attribute(opening_tag_with_id(run.dom, id), "data-status"), "ok") << id;
  // The legend: ten named families and the grey group, drawn as SVG text.
  EXPECT_NE(run.dom.find(">15 other families<"), std::string::npos);
  EXPECT_NE(run.dom.find("Left out:"), std::string::npos);

  const BrowserRun shot = screenshot(html, dir / "leaderboard.png", 1400, 5000);
  EXPECT_TRUE(shot.ok()) << shot.error;
}

}  // namespace
}  // namespace emlab::report
