// `emlab report` opened in a real headless Chromium (Debian's): a study's page draws every chart
// with a silent console; a database with no finished run, one with failed runs and one with a
// single model each give a readable page that says what is missing. Screenshots go to
// test-output/ beside the test binaries.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "cli_runner.hpp"
#include "store/database.hpp"
#include "store/run_store.hpp"
#include "support/dom_query.hpp"
#include "support/headless_browser.hpp"
#include "sweep/ledger.hpp"
#include "sweep/sweep_config_toml.hpp"

namespace emlab::testing {
namespace {

namespace fs = std::filesystem;

std::string study_config(const std::string& shapes, const std::string& eval_tasks) {
  return R"toml(
[sweep]
name = "report-test"
tokens = [30000]
parallel_runs = 2
threads_per_run = 1
[models]
context = 32
shapes = )toml" +
         shapes + R"toml(
[data]
tasks = ["add(digits=2)"]
[train]
batch_size = 16
[checkpoints]
log_spaced = 3
[eval]
tasks = )toml" +
         eval_tasks + R"toml(
examples = 16
validation_examples = 32
)toml";
}

const std::string kThreeShapes =
    "[ { width = 32, layers = 1, heads = 2 }, { width = 48, layers = 2, heads = 3 }, "
    "{ width = 64, layers = 2, heads = 4 } ]";

fs::path output_folder() {
  const fs::path dir = fs::path(EMLAB_CLI).parent_path() / "test-output" / "report";
  fs::create_directories(dir);
  return dir;
}

// Runs a sweep of `config` into dir/study.sqlite (expecting `exit_code`), then writes its report.
fs::path study_report(const fs::path& dir, const std::string& config, int exit_code = 0) {
  std::ofstream(dir / "sweep.toml") << config;
  const auto sweep = run_emlab("sweep -q " + (dir / "sweep.toml").string() + " --db " +
                               (dir / "study.sqlite").string());
  EXPECT_EQ(sweep.exit_code, exit_code) << sweep.output;
  const fs::path html = dir / "report.html";
  const auto r = run_emlab("report " + (dir / "study.sqlite").string() + " -o " + html.string() +
                           " --json " + (dir / "report.json").string());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  return html;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

// Every chart container of the page: its id and opening tag.
std::vector<std::pair<std::string, std::string>> charts(const std::string& dom) {
  std::vector<std::pair<std::string, std::string>> out;
  const std::regex figure(R"(<figure class="chart"[^>]*>)");
  for (auto it = std::sregex_iterator(dom.begin(), dom.end(), figure); it != std::sregex_iterator();
       ++it) {
    const std::string tag = it->str();
    out.emplace_back(attribute(tag, "id").value_or("?"), tag);
  }
  return out;
}

// Opens the page and checks what every page must satisfy; returns the DOM.
std::string open_page(const fs::path& html, const std::string& screenshot_name) {
  const BrowserRun run = dump_dom(html);
  EXPECT_TRUE(run.ok()) << run.error;
  EXPECT_TRUE(run.console.empty()) << joined(run.console);
  const std::string body(opening_tag(run.dom, "body"));
  EXPECT_EQ(attribute(body, "data-charts"), "done") << body;
  for (const auto& [id, tag] : charts(run.dom)) {
    EXPECT_EQ(attribute(tag, "data-status"), "ok") << id << ": " << tag;
    EXPECT_GT(std::stoi(attribute(tag, "data-marks").value_or("0")), 0) << id << ": " << tag;
  }
  const fs::path png = output_folder() / (screenshot_name + ".png");
  const BrowserRun shot = screenshot(html, png);
  EXPECT_TRUE(shot.ok()) << shot.error;
  EXPECT_GT(fs::exists(png) ? fs::file_size(png) : 0, 20'000u);
  return run.dom;
}

TEST(ReportCli, AStudyPageDrawsEveryChartWithASilentConsole) {
  if (find_chromium().empty()) GTEST_FAIL() << "chromium is missing: run scripts/setup.sh";
  const fs::path dir = fresh_dir("report_study");
  const fs::path html =
      study_report(dir, study_config(kThreeShapes, R"x(["add(digits=2)", "kb"])x"));
  const std::string dom = open_page(html, "study");
  std::ifstream in(dir / "report.json");
  const auto report = nlohmann::json::parse(in);
  size_t expected = 0;
  for (const auto& s : report["sections"]) expected += s["charts"].size();
  EXPECT_EQ(charts(dom).size(), expected);
  EXPECT_GE(expected, 9u);  // compute 1, N and D 2, two tasks x 2, dynamics 2 (+ verdicts 0-1)
  for (const char* id : {"chart-scaling-loss-compute", "chart-size-loss-params",
                         "chart-task-0-metrics", "chart-dynamics-loss"})
    EXPECT_NE(dom.find(std::string("id=\"") + id + "\""), std::string::npos) << id;
  EXPECT_NE(dom.find("Task kb"), std::string::npos);  // a multiple-choice task with a chance level
  EXPECT_NE(dom.find("needs at least 5 completed runs"), std::string::npos);  // forecast: 3 runs
  EXPECT_NE(dom.find("This study has 3 runs, 3 sizes and 1 budget"), std::string::npos);
  EXPECT_NE(dom.find("Verdict of every curve"), std::string::npos);  // three sizes, one budget
  EXPECT_GT(fs::file_size(html), 500'000u);  // the chart libraries are inline
  const std::string page = [&] {
    std::ifstream f(html);
    return std::string(std::istreambuf_iterator<char>(f), {});
  }();
  EXPECT_EQ(page.find("src=\"http"), std::string::npos) << "the page must not load anything";
}

TEST(ReportCli, NoFinishedRunSaysWhatIsMissing) {
  if (find_chromium().empty()) GTEST_FAIL() << "chromium is missing: run scripts/setup.sh";
  const fs::path dir = fresh_dir("report_unfinished");
  std::ofstream(dir / "sweep.toml") << study_config(kThreeShapes, R"x(["add(digits=2)"])x");
  {  // planned, never started
    store::Database db(dir / "study.sqlite");
    store::RunStore store(db);
    for (const auto& run :
         sweep::plan_sweep(sweep::load_sweep_config((dir / "sweep.toml").string(), {})))
      store.add_planned_run(sweep::to_planned_run(run));
  }
  const auto r = run_emlab("report " + (dir / "study.sqlite").string() + " -o " +
                           (dir / "report.html").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string dom = open_page(dir / "report.html", "unfinished");
  EXPECT_TRUE(charts(dom).empty());
  EXPECT_NE(dom.find("No run has finished yet"), std::string::npos);
  EXPECT_NE(dom.find("No checkpoint has been stored yet"), std::string::npos);
  EXPECT_NE(dom.find("No evaluated checkpoint is stored yet"), std::string::npos);
  EXPECT_NE(dom.find("No run has finished with a measured validation loss yet"), std::string::npos);
  EXPECT_NE(dom.find("The verdicts compare model sizes"), std::string::npos);
  EXPECT_GE(count_occurrences(dom, "class=\"missing\""), 5u);
}

TEST(ReportCli, FailedRunsAreListedWithTheirReasons) {
  if (find_chromium().empty()) GTEST_FAIL() << "chromium is missing: run scripts/setup.sh";
  const fs::path dir = fresh_dir("report_failed");
  // 12-digit sums do not fit the 32-token context: every run fails at its first evaluation.
  const fs::path html = study_report(dir, study_config(kThreeShapes, R"x(["add(digits=12)"])x"));
  const std::string dom = open_page(html, "failed");
  EXPECT_NE(dom.find("Failed runs"), std::string::npos);
  EXPECT_NE(dom.find("3 failed"), std::string::npos);
  EXPECT_NE(dom.find("context"), std::string::npos);  // the reason, on the page
}

TEST(ReportCli, ASingleModelSaysTrendsNeedMoreSizes) {
  if (find_chromium().empty()) GTEST_FAIL() << "chromium is missing: run scripts/setup.sh";
  const fs::path dir = fresh_dir("report_single");
  const fs::path html = study_report(
      dir, study_config("[ { width = 32, layers = 1, heads = 2 } ]", R"x(["add(digits=2)"])x"));
  const std::string dom = open_page(html, "single");
  EXPECT_FALSE(charts(dom).empty());
  EXPECT_NE(dom.find("Only one model size so far"), std::string::npos);
  EXPECT_NE(dom.find("No fit yet"), std::string::npos);
  EXPECT_NE(dom.find("No L(N, D) fit"), std::string::npos);
  // No verdict over size with one size, but its checkpoints give verdicts over training.
  EXPECT_NE(dom.find("No curve over size: no family has 3 sizes"), std::string::npos);
  EXPECT_NE(dom.find("Verdict of every curve over training steps"), std::string::npos);
}

TEST(ReportCli, SweepWritesTheReportAtTheEnd) {
  const fs::path dir = fresh_dir("report_from_sweep");
  std::ofstream(dir / "sweep.toml")
      << study_config("[ { width = 32, layers = 1, heads = 2 } ]", R"x(["add(digits=2)"])x");
  const auto r =
      run_emlab("sweep -q " + (dir / "sweep.toml").string() + " --db " +
                (dir / "s.sqlite").string() + " --report " + (dir / "out" / "r.html").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("report: " + (dir / "out" / "r.html").string()), std::string::npos)
      << r.output;
  EXPECT_TRUE(fs::exists(dir / "out" / "r.html"));
}

}  // namespace
}  // namespace emlab::testing
