#pragma once
// What every report page opened in the headless browser must show: each chart figure finished
// drawing ("ok") with at least one mark. Shared by the report, import and probe tests.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "support/dom_query.hpp"
#include "support/headless_browser.hpp"

namespace emlab::testing {

// Checks every <figure class="chart"> of the DOM; returns how many there are.
inline size_t expect_every_chart_drawn(const std::string& dom) {
  static const std::regex figure(R"(<figure class="chart"[^>]*>)");
  size_t drawn = 0;
  for (auto it = std::sregex_iterator(dom.begin(), dom.end(), figure); it != std::sregex_iterator();
       ++it, ++drawn) {
    const std::string tag = it->str();
    EXPECT_EQ(attribute(tag, "data-status"), "ok") << tag;
    EXPECT_GT(std::stoi(attribute(tag, "data-marks").value_or("0")), 0) << tag;
  }
  return drawn;
}

// A report page as the browser left it: finished drawing, a silent console, and every chart of
// the report's sections drawn.
inline void expect_report_drawn(const BrowserRun& run, const nlohmann::json& report) {
  std::string console;
  for (const auto& line : run.console) console += line + "\n";
  EXPECT_TRUE(run.console.empty()) << console;
  EXPECT_EQ(attribute(opening_tag(run.dom, "body"), "data-charts"), "done");
  size_t expected = 0;
  for (const auto& s : report["sections"]) expected += s["charts"].size();
  EXPECT_EQ(expect_every_chart_drawn(run.dom), expected);
}

}  // namespace emlab::testing
