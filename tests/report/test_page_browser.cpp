// Report pages opened in a real headless browser (Debian's chromium): charts render with marks,
// nothing is printed on the console, a section without data says why, and hostile strings in the
// data stay text.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "report/page.hpp"
#include "support/dom_query.hpp"
#include "support/headless_browser.hpp"

namespace emlab::report {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace emlab::testing;

fs::path write_page(const std::string& name, const json& report) {
  const fs::path dir = fs::temp_directory_path() / "emlab_report_tests";
  fs::create_directories(dir);
  const fs::path path = dir / (name + ".html");
  std::ofstream(path, std::ios::binary) << render_page(report);
  return path;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

json loss_chart() {
  json points = json::array();
  for (double n : {1e4, 3e4, 1e5, 3e5, 1e6}) {
    points.push_back({{"parameters", n}, {"loss", 1.7 + 40.0 / std::pow(n, 0.3)}});
  }
  return {
      {"$schema", "https://vega.github.io/schema/vega-lite/v6.json"},
      {"width", 420},
      {"height", 260},
      {"data", {{"values", points}}},
      {"mark", {{"type", "point"}, {"filled", true}}},
      {"encoding",
       {{"x", {{"field", "parameters"}, {"type", "quantitative"}, {"scale", {{"type", "log"}}}}},
        {"y", {{"field", "loss"}, {"type", "quantitative"}, {"scale", {{"zero", false}}}}}}},
      {"usermeta", {{"logToggles", json::array({"x", "y"})}}}};
}

json accuracy_chart() {
  json points = json::array();
  for (const char* task : {"add", "copy"}) {
    for (int step : {100, 200, 400, 800}) {
      points.push_back({{"task", task}, {"step", step}, {"accuracy", step / 1000.0}});
    }
  }
  return {{"$schema", "https://vega.github.io/schema/vega-lite/v6.json"},
          {"width", 420},
          {"height", 260},
          {"data", {{"values", points}}},
          {"mark", {{"type", "line"}, {"point", true}}},
          {"encoding",
           {{"x", {{"field", "step"}, {"type", "quantitative"}}},
            {"y", {{"field", "accuracy"}, {"type", "quantitative"}}},
            {"color", {{"field", "task"}, {"type", "nominal"}}}}}};
}

json two_chart_report() {
  return {{"title", "Browser test"},
          {"generated", "2026-01-01 00:00 UTC"},
          {"sections",
           {{{"id", "scaling"},
             {"title", "Scaling"},
             {"text", "<p>Loss against <em>parameters</em>.</p>"},
             {"charts",
              {{{"id", "loss"}, {"title", "Final loss"}, {"spec", loss_chart()}, {"note", "n=5"}},
               {{"id", "accuracy"}, {"title", "Accuracy"}, {"spec", accuracy_chart()}}}},
             {"tables",
              {{{"title", "Runs"},
                {"columns", json::array({"run", "loss"})},
                {"rows", json::array({json::array({"r1", 2.5}), json::array({"r2", 2.25})})}}}}},
            {{"id", "later"}, {"title", "Later"}, {"missing", "no runs have finished yet"}}}}};
}

TEST(ReportBrowser, ChartsRenderWithMarksAndASilentConsole) {
  const fs::path page = write_page("two_charts", two_chart_report());
  const auto start = std::chrono::steady_clock::now();
  const BrowserRun run = dump_dom(page);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(run.ok()) << run.error;
  EXPECT_TRUE(run.console.empty()) << joined(run.console);

  const auto body = opening_tag(run.dom, "body");
  EXPECT_EQ(attribute(body, "data-charts"), "done") << body;
  EXPECT_EQ(attribute(body, "data-chart-count"), "2") << body;
  for (const char* id : {"chart-scaling-loss", "chart-scaling-accuracy"}) {
    const auto tag = opening_tag_with_id(run.dom, id);
    EXPECT_EQ(attribute(tag, "data-status"), "ok") << id << ": " << tag;
    EXPECT_GT(std::stoi(attribute(tag, "data-marks").value_or("0")), 0) << id << ": " << tag;
  }
  // Five points; two lines with four points each.
  EXPECT_EQ(attribute(opening_tag_with_id(run.dom, "chart-scaling-loss"), "data-marks"), "5");
  EXPECT_EQ(attribute(opening_tag_with_id(run.dom, "chart-scaling-accuracy"), "data-marks"), "10");
  EXPECT_EQ(count_occurrences(run.dom, "class=\"log-toggle\""), 2u);  // log x, log y
  EXPECT_NE(run.dom.find("<td class=\"num\">2.25</td>"), std::string::npos);
  std::cout << "page " << fs::file_size(page) / 1024 << " KiB, dump-dom " << seconds << " s\n";

  const fs::path png = page.parent_path() / "two_charts.png";
  const BrowserRun shot = screenshot(page, png);
  ASSERT_TRUE(shot.ok()) << shot.error;
  EXPECT_TRUE(shot.console.empty()) << joined(shot.console);
  std::ifstream in(png, std::ios::binary);
  std::string magic(8, '\0');
  in.read(magic.data(), 8);
  EXPECT_EQ(magic, "\x89PNG\r\n\x1a\n");
  EXPECT_GT(fs::file_size(png), 20'000u);  // a blank 1400x3000 page is a few KiB
}

TEST(ReportBrowser, ASectionWithoutDataSaysWhyAndHasNoChart) {
  const json report = {{"title", "Nothing yet"},
                       {"sections",
                        {{{"id", "emergence"},
                          {"title", "Emergence"},
                          {"missing", "needs at least three model sizes; the study has one"},
                          {"charts", {{{"id", "never"}, {"spec", accuracy_chart()}}}}}}}};
  const BrowserRun run = dump_dom(write_page("missing", report));
  ASSERT_TRUE(run.ok()) << run.error;
  EXPECT_TRUE(run.console.empty()) << joined(run.console);
  EXPECT_NE(run.dom.find("needs at least three model sizes; the study has one"), std::string::npos);
  EXPECT_NE(run.dom.find("class=\"missing\""), std::string::npos);
  EXPECT_EQ(run.dom.find("class=\"chart\""), std::string::npos);
  const auto body = opening_tag(run.dom, "body");
  EXPECT_EQ(attribute(body, "data-charts"), "done") << body;
  EXPECT_EQ(attribute(body, "data-chart-count"), "0") << body;
}

TEST(ReportBrowser, ScriptTagsInTheDataStayText) {
  const std::string hostile =
      "</script><script>alert(1)</script><!--<script>document.body.dataset.injected=1</script>";
  json report = two_chart_report();
  report["title"] = hostile;
  auto& section = report["sections"][0];
  section["title"] = hostile;
  section["charts"][0]["title"] = hostile;
  section["charts"][0]["note"] = hostile;
  section["charts"][1]["spec"]["data"]["values"][0]["task"] = hostile;  // a legend label
  section["tables"][0]["rows"][0][0] = hostile;
  const BrowserRun run = dump_dom(write_page("hostile", report));
  ASSERT_TRUE(run.ok()) << run.error;
  EXPECT_TRUE(run.console.empty()) << joined(run.console);
  const auto body = opening_tag(run.dom, "body");
  EXPECT_EQ(attribute(body, "data-charts"), "done") << body;
  EXPECT_FALSE(attribute(body, "data-injected").has_value()) << body;
  for (const char* id : {"chart-scaling-loss", "chart-scaling-accuracy"}) {
    EXPECT_EQ(attribute(opening_tag_with_id(run.dom, id), "data-status"), "ok") << id;
  }
  // Shown as text in the table cell.
  EXPECT_NE(run.dom.find("<td>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"),
            std::string::npos);
}

TEST(ReportBrowser, ABrokenChartIsReportedOnThePageAndTheConsole) {
  json report = two_chart_report();
  report["sections"][0]["charts"][1]["spec"] = {{"layer", 5}};
  const BrowserRun run = dump_dom(write_page("broken", report));
  ASSERT_TRUE(run.ok()) << run.error;
  const auto tag = opening_tag_with_id(run.dom, "chart-scaling-accuracy");
  EXPECT_EQ(attribute(tag, "data-status"), "error") << tag;
  EXPECT_NE(run.dom.find("Chart failed: "), std::string::npos);
  ASSERT_EQ(run.console.size(), 1u) << joined(run.console);
  EXPECT_NE(run.console[0].find("emlab chart chart-scaling-accuracy"), std::string::npos);
  // The other chart still renders and the page still finishes.
  EXPECT_EQ(attribute(opening_tag_with_id(run.dom, "chart-scaling-loss"), "data-status"), "ok");
  EXPECT_EQ(attribute(opening_tag(run.dom, "body"), "data-charts"), "done");
}

}  // namespace
}  // namespace emlab::report
