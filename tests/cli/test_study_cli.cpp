// emlab study: every shipped study runs end to end at the smoke scale into one database (they
// share its arithmetic sweep) and stores a verdict, which `study verdicts`, `export` and the
// report's Hypotheses section (opened in headless Chromium) show. Bad study files fail naming the
// file and key. What the smoke verdicts say is not checked: the smoke scale is too small to judge.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "report/sections.hpp"
#include "study/study_kind.hpp"
#include "support/dom_query.hpp"
#include "support/headless_browser.hpp"
#include "support/study_test_names.hpp"

namespace emlab::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::AnyOf;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const fs::path kStudies = fs::path(EMLAB_SOURCE_DIR) / "studies";
// The studies that read the shared three-seed arithmetic sweep (trained once for all of them), and
// those with sweeps of their own.
const std::vector<std::string> kShipped = {
    "length", "mirage", "scaling", "mirage-linear", "forecast", "loss-threshold", "mirage-lengths"};
const std::vector<std::string> kOwnSweep = {
    "composition",     "composition-both",    "repetition",
    "repetition-none", "scratchpad",          "depth",
    "depth-matched",   "induction",           "induction-markov",
    "scaling-text",    "loss-threshold-text", "repetition-text",
    "mirage-recall",   "mirage-recall-linear"};

// The rules' power at their own designs is tested in tests/study/test_rule_power.cpp; here a few
// simulations check that `study run` simulates, prints and stores it (200 took most of the time).
const std::string kFewSimulations = " --simulations 10";

std::string studies_flag() {
  return fmt::format(" --studies {}", kStudies.string());
}

TEST(StudyCli, ListNamesEveryStudyWithItsClaim) {
  const CommandResult r = run_emlab(fmt::format("study list{}", studies_flag()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const auto* names : {&kShipped, &kOwnSweep})
    for (const std::string& name : *names)
      EXPECT_THAT(r.output, HasSubstr(fmt::format("{} ", name)));
  EXPECT_THAT(r.output, HasSubstr("Longer problems need more scale"));
  EXPECT_THAT(r.output, Not(HasSubstr("cannot be loaded")));
  // Controls say which study they control.
  EXPECT_THAT(r.output, HasSubstr("[positive control of induction]"));
  EXPECT_THAT(r.output, HasSubstr("[negative control of repetition]"));
  EXPECT_THAT(r.output, HasSubstr("[positive control of mirage]"));
  EXPECT_THAT(r.output, HasSubstr("[negative control of mirage]"));
  EXPECT_THAT(r.output, HasSubstr("[positive control of composition]"));
  // Every study file is run at smoke scale by one of the two tests below.
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(kStudies))
    if (entry.path().extension() == ".toml") {
      ++files;
      const std::string name = entry.path().stem().string();
      EXPECT_TRUE(std::count(kShipped.begin(), kShipped.end(), name) +
                      std::count(kOwnSweep.begin(), kOwnSweep.end(), name) ==
                  1)
          << name << " is run by no smoke test (or by both)";
    }
  EXPECT_EQ(files, kShipped.size() + kOwnSweep.size());
}

TEST(StudyCli, EveryStudyRunsAtSmokeScaleStoresItsVerdictAndReportsIt) {
  if (find_chromium().empty()) GTEST_FAIL() << "chromium is missing: run scripts/setup.sh";
  const fs::path dir = fresh_dir("study_smoke");
  const fs::path db = dir / "smoke.sqlite", html = dir / "smoke.html";
  for (const std::string& name : kShipped) {
    const CommandResult r =
        run_emlab(fmt::format("study run {} --scale smoke -q{} --db {} --report {}{}", name,
                              kFewSimulations, db.string(), html.string(), studies_flag()));
    ASSERT_EQ(r.exit_code, 0) << name << ": " << r.output;
    EXPECT_THAT(r.output, HasSubstr(fmt::format("study {} (smoke scale): ", name))) << r.output;
    EXPECT_THAT(r.output, HasSubstr("rule:")) << r.output;
  }
  // Stored: one verdict per study, each with its measurements and conditions.
  const CommandResult listed = run_emlab(fmt::format("study verdicts {}", db.string()));
  ASSERT_EQ(listed.exit_code, 0) << listed.output;
  const CommandResult exported = run_emlab(fmt::format("export {} --format json", db.string()));
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  const auto json = nlohmann::json::parse(exported.output);
  ASSERT_EQ(json["verdicts"].size(), kShipped.size());
  for (const auto& v : json["verdicts"]) {
    EXPECT_THAT(v["verdict"].get<std::string>(), AnyOf("held", "did not hold", "inconclusive"));
    EXPECT_EQ(v["scale"], "smoke");
    EXPECT_FALSE(v["measurements"].empty());
    EXPECT_FALSE(v["conditions"]["held_if"].empty());
    EXPECT_THAT(listed.output, HasSubstr(fmt::format("study {}", v["study"].get<std::string>())));
  }
  // The studies shared one sweep: 3 shapes x 3 budgets x 2 seeds.
  EXPECT_EQ(json["runs"].size(), 18u);
  // An analysis alone keeps the study's stored time (its sweeps ran before, not now).
  const auto seconds_of = [](const nlohmann::json& verdicts_of, const std::string& study) {
    for (const auto& v : verdicts_of["verdicts"])
      if (v["study"] == study) return v["seconds"].get<double>();
    return -1.0;
  };
  const double trained = seconds_of(json, "mirage");
  EXPECT_GT(trained, 0);
  // Runs mirage again with `flags` and returns the time then stored with its verdict.
  const auto seconds_after = [&](const std::string& flags) {
    const CommandResult again = run_emlab(fmt::format(
        "study run mirage --scale smoke -q {} --db {}{}", flags, db.string(), studies_flag()));
    EXPECT_EQ(again.exit_code, 0) << again.output;
    return seconds_of(nlohmann::json::parse(
                          run_emlab(fmt::format("export {} --format json", db.string())).output),
                      "mirage");
  };
  EXPECT_EQ(seconds_after("--analyse-only --simulations 0"), trained);
  // So does a run whose sweep has nothing left to train (a resumed `study run --all`).
  EXPECT_EQ(seconds_after("--simulations 0"), trained);
  const CommandResult csv = run_emlab(fmt::format("export {} --format verdicts", db.string()));
  EXPECT_THAT(csv.output, HasSubstr("study,verdict,scale,measurement,value,lower,upper"));
  EXPECT_THAT(csv.output, HasSubstr("scaling,"));

  // The report: the Hypotheses section first, every chart drawn, a silent console.
  const BrowserRun page = dump_dom(html);
  ASSERT_TRUE(page.ok()) << page.error;
  EXPECT_TRUE(page.console.empty()) << page.console.front();
  EXPECT_THAT(page.dom, HasSubstr("data-charts=\"done\""));  // every chart rendered
  const size_t hypotheses = page.dom.find("id=\"sec-hypotheses\"");
  ASSERT_NE(hypotheses, std::string::npos);
  EXPECT_LT(hypotheses, page.dom.find("id=\"sec-overview\""));
  EXPECT_THAT(page.dom, HasSubstr("Verdict of every study"));
  for (const std::string& name : kShipped)
    EXPECT_THAT(page.dom, HasSubstr(fmt::format("<td>{}</td>", name)));
}

// One test per study, so each has CTest's time limit to itself and a slow one is named.
class StudyWithItsOwnSweep : public ::testing::TestWithParam<std::string> {};

TEST_P(StudyWithItsOwnSweep, RunsAtSmokeScaleAndStoresOneVerdict) {
  const std::string& name = GetParam();
  const fs::path dir = fresh_dir("study_arms_" + name);
  const fs::path db = dir / fmt::format("{}.sqlite", name);
  const fs::path html = dir / fmt::format("{}.html", name);
  const CommandResult r =
      run_emlab(fmt::format("study run {} --scale smoke -q{} --db {} --report {}{}", name,
                            kFewSimulations, db.string(), html.string(), studies_flag()));
  ASSERT_EQ(r.exit_code, 0) << name << ": " << r.output;
  EXPECT_THAT(r.output, HasSubstr(fmt::format("study {} (smoke scale): ", name))) << r.output;
  const auto json =
      nlohmann::json::parse(run_emlab(fmt::format("export {} --format json", db.string())).output);
  ASSERT_EQ(json["verdicts"].size(), 1u) << name;
  EXPECT_EQ(json["verdicts"][0]["study"], name);
  if (name != "repetition") return;
  // Four arms, one run each, named by their prefix; a database of arms reports like any other,
  // its verdict first.
  ASSERT_EQ(json["runs"].size(), 4u);
  for (const auto& run : json["runs"])
    EXPECT_THAT(run["name"].get<std::string>(), AnyOf(StartsWith("fresh-"), StartsWith("R4-"),
                                                      StartsWith("R16-"), StartsWith("R64-")));
  if (find_chromium().empty()) GTEST_FAIL() << "chromium is missing: run scripts/setup.sh";
  const BrowserRun page = dump_dom(html);
  ASSERT_TRUE(page.ok()) << page.error;
  EXPECT_TRUE(page.console.empty()) << page.console.front();
  EXPECT_THAT(page.dom, HasSubstr("data-charts=\"done\""));
  EXPECT_THAT(page.dom, HasSubstr("<td>repetition</td>"));
}

INSTANTIATE_TEST_SUITE_P(StudyCli, StudyWithItsOwnSweep, ::testing::ValuesIn(kOwnSweep),
                         study_test_name);

// `study run --all`: every study of a folder (here two that share the arithmetic sweep, so it
// trains once), each verdict with its rule's power, then one summary database and report that
// link each study's own report.
TEST(StudyCli, AllStudiesRunOnceEachAndWriteOneSummary) {
  if (find_chromium().empty()) GTEST_FAIL() << "chromium is missing: run scripts/setup.sh";
  const fs::path dir = fresh_dir("study_all");
  const fs::path folder = dir / "studies";
  fs::create_directories(folder);
  for (const std::string name : {"mirage", "length"}) {
    std::ifstream in(kStudies / (name + ".toml"));
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string from = "config = \"sweeps/arithmetic-seeds.toml\"";
    const size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << name;
    text.replace(at, from.size(),
                 fmt::format("config = \"{}\"\nset = [\"sweep.database={}\", \"sweep.seeds=[1]\"]",
                             (kStudies / "sweeps" / "arithmetic-seeds.toml").string(),
                             (dir / "arith.sqlite").string()));
    std::ofstream(folder / (name + ".toml")) << text;
  }
  const fs::path summary = dir / "all.sqlite";
  const CommandResult r =
      run_emlab(fmt::format("study run --all --scale smoke -q{} --studies {} --summary {}",
                            kFewSimulations, folder.string(), summary.string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("== study 1 of 2: length (smoke scale) =="));
  EXPECT_THAT(r.output, HasSubstr("== study 2 of 2: mirage (smoke scale) =="));
  EXPECT_THAT(r.output, HasSubstr("rule at this design: power"));
  EXPECT_THAT(r.output, HasSubstr("summary report:"));
  // One sweep for both: 3 shapes x 3 budgets (one seed).
  const auto runs = nlohmann::json::parse(
      run_emlab(fmt::format("export {} --format json", (dir / "arith.sqlite").string())).output);
  EXPECT_EQ(runs["runs"].size(), 9u);
  const auto json = nlohmann::json::parse(
      run_emlab(fmt::format("export {} --format json", summary.string())).output);
  ASSERT_EQ(json["verdicts"].size(), 2u);
  for (const auto& v : json["verdicts"]) {
    EXPECT_THAT(v["verdict"].get<std::string>(), AnyOf("held", "did not hold", "inconclusive"));
    EXPECT_TRUE(v["rule_power"].contains("power")) << v.dump();
  }
  const BrowserRun page = dump_dom(dir / "all.html");
  ASSERT_TRUE(page.ok()) << page.error;
  EXPECT_TRUE(page.console.empty()) << page.console.front();
  EXPECT_THAT(page.dom, HasSubstr("<td>mirage</td>"));
  EXPECT_THAT(page.dom, HasSubstr("<td>length</td>"));
  EXPECT_THAT(page.dom, HasSubstr("href=\"arith.html#sec-emergence\""));
  EXPECT_TRUE(fs::exists(dir / "arith.html"));
  // Neither a name with --all nor neither.
  EXPECT_EQ(
      run_emlab(fmt::format("study run mirage --all --studies {}", folder.string())).exit_code, 1);
  EXPECT_THAT(run_emlab("study run").output, HasSubstr("give a study NAME"));
}

// A study file in its own folder, pointing at the shipped three-seed arithmetic sweep.
fs::path study_file(const fs::path& dir, const std::string& analysis, const std::string& verdict,
                    const std::string& sweep_extra = "") {
  const fs::path path = dir / "bad.toml";
  std::ofstream(path) << "[study]\nname = \"bad\"\nclaim = \"c\"\npredicts = \"p\"\n"
                      << "kind = \"mirage\"\n\n[[sweep]]\nconfig = \""
                      << (kStudies / "sweeps" / "arithmetic-seeds.toml").string() << "\"\n"
                      << sweep_extra << "\n[analysis]\n"
                      << analysis << "\n\n[verdict]\nrule = \"r\"\n"
                      << verdict << "\n";
  return path;
}

TEST(StudyCli, BadStudiesFailNamingTheFileAndKey) {
  const fs::path dir = fresh_dir("study_bad");
  const CommandResult unknown = run_emlab(fmt::format("study run no-such-study{}", studies_flag()));
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_THAT(unknown.output, HasSubstr("unknown study 'no-such-study'"));
  EXPECT_THAT(unknown.output, HasSubstr("mirage"));  // lists the ones there are

  const std::string good_rule = "held_if = [\"sizes >= 4\"]";
  const fs::path missing = study_file(dir, "task = \"add(digits=9)\"", good_rule);
  const CommandResult task = run_emlab(fmt::format("study run {} --scale smoke", missing.string()));
  EXPECT_EQ(task.exit_code, 1);
  EXPECT_THAT(task.output, HasSubstr(fmt::format("{}:", missing.string())));
  EXPECT_THAT(task.output, HasSubstr("analysis.task"));
  EXPECT_THAT(task.output, HasSubstr("\"add(digits=9)\" is not evaluated"));

  const fs::path unmeasured =
      study_file(dir, "task = \"add(digits=3)\"", "held_if = [\"sizes >= 4\", \"sharpness > 2\"]");
  const CommandResult rule =
      run_emlab(fmt::format("study run {} --scale smoke", unmeasured.string()));
  EXPECT_EQ(rule.exit_code, 1);
  EXPECT_THAT(rule.output, HasSubstr("verdict.held_if[1]"));
  EXPECT_THAT(rule.output, HasSubstr("unknown measurement 'sharpness'"));

  const fs::path shape = study_file(dir, "task = \"add(digits=3)\"", good_rule,
                                    "set = [\"models.shapes=[{width=30, layers=1, heads=4}]\"]\n");
  const CommandResult impossible =
      run_emlab(fmt::format("study run {} --scale smoke", shape.string()));
  EXPECT_EQ(impossible.exit_code, 1);
  EXPECT_THAT(impossible.output, HasSubstr("width"));
  EXPECT_THAT(impossible.output, HasSubstr("L1-d30"));

  const fs::path kind = dir / "kind.toml";
  std::ofstream(kind) << "[study]\nname = \"k\"\nclaim = \"c\"\npredicts = \"p\"\nkind = "
                         "\"telepathy\"\n";
  const CommandResult bad_kind = run_emlab(fmt::format("study run {}", kind.string()));
  EXPECT_EQ(bad_kind.exit_code, 1);
  EXPECT_THAT(bad_kind.output, HasSubstr("study.kind"));
  EXPECT_THAT(bad_kind.output, HasSubstr("unknown study kind \"telepathy\""));
  EXPECT_THAT(bad_kind.output, HasSubstr("mirage"));

  const fs::path figures = dir / "figures.toml";
  std::ofstream(figures) << "[study]\nname = \"f\"\nclaim = \"c\"\npredicts = \"p\"\nkind = "
                            "\"mirage\"\nfigures = \"circuits\"\n[analysis]\ntask = "
                            "\"add(digits=3)\"\n";
  const CommandResult bad_figures = run_emlab(fmt::format("study run {}", figures.string()));
  EXPECT_EQ(bad_figures.exit_code, 1);
  EXPECT_THAT(bad_figures.output, HasSubstr("study.figures"));
  EXPECT_THAT(bad_figures.output, HasSubstr("a mirage study's evidence is in the report section "
                                            "emergence"));
}

TEST(StudyCli, EveryKindsFiguresAreSectionsOfTheReport) {
  const std::vector<std::string>& ids = report::section_ids();
  for (const study::StudyKindEntry& kind : study::study_kinds()) {
    EXPECT_FALSE(kind.figures.empty()) << kind.name;
    for (const std::string& figure : kind.figures)
      EXPECT_NE(std::find(ids.begin(), ids.end(), figure), ids.end())
          << kind.name << ": " << figure;
  }
}

}  // namespace
}  // namespace emlab::testing
