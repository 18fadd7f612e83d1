// `emlab import` end to end on the real files of tests/data/import/: the Pythia suite and the
// OPT / BLOOM / XGLM baselines import with the right sizes, steps and values, run through fit,
// export and report unchanged, import idempotently, and fail clearly on bad input; the report of
// an imported family draws every chart in headless Chromium with a silent console.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "cli/cli_runner.hpp"
#include "support/chart_checks.hpp"
#include "support/dom_query.hpp"
#include "support/headless_browser.hpp"
#include "support/sloth_table.hpp"

namespace emlab::testing {
namespace {

namespace fs = std::filesystem;

std::string data(const std::string& relative) {
  return std::string(EMLAB_TEST_DATA) + "/import/" + relative;
}

std::string read(const fs::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// One value of the database, by SQL.
std::string query(const fs::path& db, const std::string& sql) {
  sqlite3* raw = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(raw, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
  std::string out;
  if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr)
    out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  sqlite3_finalize(stmt);
  sqlite3_close(raw);
  return out;
}

// One number of the database, exactly as stored.
double query_number(const fs::path& db, const std::string& sql) {
  sqlite3* raw = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(raw, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
  double out = NAN;
  if (sqlite3_step(stmt) == SQLITE_ROW) out = sqlite3_column_double(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(raw);
  return out;
}

nlohmann::json report_json(const fs::path& db, const fs::path& dir) {
  const auto r = run_emlab("report " + db.string() + " -o " + (dir / "report.html").string() +
                           " --json " + (dir / "report.json").string());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  std::ifstream in(dir / "report.json");
  return nlohmann::json::parse(in);
}

const nlohmann::json& section(const nlohmann::json& report, const std::string& id) {
  for (const auto& s : report["sections"])
    if (s["id"] == id) return s;
  ADD_FAILURE() << "no section " << id;
  static const nlohmann::json none;
  return none;
}

TEST(ImportCli, PythiaSuiteImportsWithSizesStepsAndValues) {
  const fs::path dir = fresh_dir("import_pythia");
  const fs::path db = dir / "pythia.sqlite";
  auto r = run_emlab("import lm-eval " + data("pythia/raw") + " --into " + db.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("imported 12 file(s)"), std::string::npos) << r.output;
  r = run_emlab("import csv " + data("pythia/pythia_v1_evals_long.csv") + " --into " + db.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;

  // 16 models (8 sizes, standard and deduplicated); the raw files' "pythia-v1.1-410m" and the
  // flattened CSV's "pythia-410m" are one run.
  EXPECT_EQ(query(db, "SELECT COUNT(*) FROM runs"), "16");
  EXPECT_EQ(query(db, "SELECT parameters FROM runs WHERE name = 'pythia-410m'"), "405334016");
  EXPECT_EQ(query(db, "SELECT family FROM runs WHERE name = 'pythia-410m-deduped'"),
            "pythia-deduped");
  EXPECT_EQ(query(db, "SELECT tokens_planned FROM runs WHERE name = 'pythia-12b'"),
            std::to_string(143000LL * 2097152LL));
  // raw/410m_step13000.json: results.hendrycksTest-public_relations.acc = 0.2727272727272727.
  const std::string where =
      " FROM metrics m JOIN checkpoints c ON c.id = m.checkpoint_id JOIN runs r ON r.id = "
      "c.run_id WHERE r.name = 'pythia-410m' AND c.step = 13000 AND m.task = "
      "'hendrycksTest-public_relations' AND m.metric = 'acc'";
  EXPECT_EQ(query_number(db, "SELECT m.value" + where), 0.2727272727272727);
  EXPECT_EQ(query(db, "SELECT c.tokens" + where), std::to_string(13000LL * 2097152LL));
  // raw/410m-5shot_step143000.json: results.arc_easy.acc, under the task arc_easy_5shot.
  const double five_shot = query_number(
      db,
      "SELECT m.value FROM metrics m JOIN checkpoints c ON c.id = "
      "m.checkpoint_id JOIN runs r ON r.id = c.run_id WHERE r.name = 'pythia-410m' AND c.step = "
      "143000 AND m.task = 'arc_easy_5shot' AND m.metric = 'acc'");
  const auto raw = nlohmann::json::parse(read(data("pythia/raw/410m-5shot_step143000.json")));
  EXPECT_EQ(five_shot, raw["results"]["arc_easy"]["acc"].get<double>());
  EXPECT_EQ(query(db, "SELECT COUNT(*) FROM import_sources"), "13");
  EXPECT_EQ(query(db,
                  "SELECT COUNT(*) FROM checkpoints c JOIN runs r ON r.id = c.run_id WHERE "
                  "r.name = 'pythia-160m'"),
            query(db,
                  "SELECT COUNT(DISTINCT c.step) FROM checkpoints c JOIN runs r ON r.id = "
                  "c.run_id WHERE r.name = 'pythia-160m-deduped'"));

  // The report: emergence verdicts across sizes and across training steps, a forecast of the
  // largest model's scores from the smaller ones, and loss sections that say why they are empty.
  const auto report = report_json(db, dir);
  const auto& emergence = section(report, "emergence");
  ASSERT_TRUE(emergence["missing"].is_null()) << emergence["missing"];
  ASSERT_EQ(emergence["tables"].size(), 2u);
  EXPECT_GT(emergence["tables"][0]["rows"].size(), 100u);
  EXPECT_EQ(emergence["tables"][1]["title"], "Verdict of every curve over training steps");
  const auto& forecast = section(report, "forecast");
  ASSERT_TRUE(forecast["missing"].is_null()) << forecast["missing"];
  EXPECT_NE(forecast["text"].get<std::string>().find("median absolute error"), std::string::npos);
  EXPECT_EQ(forecast["tables"][0]["rows"][0][2], "pythia");
  EXPECT_EQ(forecast["tables"][0]["rows"][0][3], "11.8G");  // the largest Pythia, held out
  for (const char* id : {"scaling", "size", "dynamics"})
    EXPECT_NE(section(report, id)["missing"].get<std::string>().find("imported evaluation"),
              std::string::npos)
        << id;

  // fit: no scaling law without losses, said plainly; the task curves still are judged.
  // The Pythia authors' OPT and BLOOM baselines beside them, sizes from two sidecars.
  r = run_emlab("import lm-eval -q " + data("pythia/baselines_opt_bloom") + " --meta " +
                data("meta/opt.csv") + " --meta " + data("meta/bloom.csv") + " --into " +
                db.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query(db, "SELECT COUNT(*) FROM runs"), "29");
  EXPECT_EQ(query(db, "SELECT COUNT(DISTINCT family) FROM runs"), "4");

  r = run_emlab("fit " + db.string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("--emergence --curve-axis params"), std::string::npos) << r.output;
  r = run_emlab("fit " + db.string() + " --emergence --curve-axis params");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("lambada_openai / acc"), std::string::npos);
  r = run_emlab("forecast " + db.string() + " --cutoff 3e9");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("--abilities --curve-axis params"), std::string::npos) << r.output;
  r = run_emlab("forecast " + db.string() +
                " --cutoff 3e9 --abilities --curve-axis params --bootstrap 20");
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

TEST(ImportCli, ImportingTwiceChangesNothingAndExportRoundTrips) {
  const fs::path dir = fresh_dir("import_twice");
  const fs::path db = dir / "opt.sqlite";
  const std::string args = "import lm-eval " + data("pythia/baselines_opt_bloom") +
                           "/opt-125m.json " + data("pythia/baselines_opt_bloom") +
                           "/opt-350m.json --meta " + data("meta/opt.csv") + " --into " +
                           db.string();
  ASSERT_EQ(run_emlab(args).exit_code, 0);
  const auto first = run_emlab("export " + db.string() + " --format json");
  ASSERT_EQ(first.exit_code, 0) << first.output;
  const auto again = run_emlab(args);
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("already imported"), std::string::npos) << again.output;
  EXPECT_EQ(run_emlab("export " + db.string() + " --format json").output, first.output);
  EXPECT_EQ(query(db, "SELECT COUNT(*) FROM import_sources"), "2");

  // The long-format export carries the file's values exactly: opt-125m lambada_openai acc.
  const auto csv = run_emlab("export " + db.string());
  ASSERT_EQ(csv.exit_code, 0);
  const auto raw = nlohmann::json::parse(read(data("pythia/baselines_opt_bloom/opt-125m.json")));
  const double acc = raw["results"]["lambada_openai"]["acc"].get<double>();
  const std::regex row(R"(opt-125m,125000000,,180000000000,[^,]*,0,,lambada_openai,acc,([^,]+),)");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(csv.output, m, row)) << csv.output.substr(0, 400);
  EXPECT_DOUBLE_EQ(std::stod(m[1].str()), acc);
  // ... and reads back through the long-format importer to the same scores.
  std::ofstream(dir / "export.csv") << csv.output;
  const fs::path db2 = dir / "again.sqlite";
  auto back = run_emlab("import csv " + (dir / "export.csv").string() + " --into " + db2.string());
  ASSERT_EQ(back.exit_code, 0) << back.output;
  EXPECT_EQ(query(db2, "SELECT COUNT(*) FROM metrics"), query(db, "SELECT COUNT(*) FROM metrics"));
  EXPECT_EQ(query(db2, "SELECT SUM(value) FROM metrics"),
            query(db, "SELECT SUM(value) FROM metrics"));
}

TEST(ImportCli, BadInputFailsClearlyAndWritesNothing) {
  const fs::path dir = fresh_dir("import_bad");
  const fs::path db = dir / "bad.sqlite";
  // No sizes for OPT without --meta: the file and what is missing are named.
  auto r = run_emlab("import lm-eval " + data("pythia/baselines_opt_bloom/opt-125m.json") +
                     " --into " + db.string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("opt-125m.json: model 'opt-125m' has no parameters (params)"),
            std::string::npos)
      << r.output;
  // One bad file in a list: nothing of the list is written.
  std::ofstream(dir / "broken.json") << "{\"results\": ";
  r = run_emlab("import lm-eval " + data("pythia/raw/70m_step143000.json") + " " +
                (dir / "broken.json").string() + " --into " + db.string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("broken.json: not valid JSON"), std::string::npos) << r.output;
  EXPECT_EQ(query(db, "SELECT COUNT(*) FROM runs"), "0");
  r = run_emlab("import lm-eval " + (dir / "missing.json").string() + " --into " + db.string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("missing.json: no such file or folder"), std::string::npos);
  r = run_emlab("import parquet x --into " + db.string());
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("lm-eval"), std::string::npos) << r.output;  // lists the formats
  std::ofstream(dir / "meta.csv") << "model,params\nopt-125m,many\n";
  r = run_emlab("import lm-eval " + data("pythia/baselines_opt_bloom/opt-125m.json") + " --meta " +
                (dir / "meta.csv").string() + " --into " + db.string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("meta.csv:2: column 'params'"), std::string::npos) << r.output;
}

// The table of formats says which format reads which flag: one given to another format fails
// instead of being silently ignored.
TEST(ImportCli, AFlagOfAnotherFormatFailsClearly) {
  const fs::path dir = fresh_dir("import_flags");
  auto r = run_emlab("import bigbench " + data("bigbench") + " --task arc --into " +
                     (dir / "f.sqlite").string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("--task: the bigbench format does not read it (only lm-eval-samples)"),
            std::string::npos)
      << r.output;
  EXPECT_FALSE(fs::exists(dir / "f.sqlite"));
  r = run_emlab("import --help");
  EXPECT_NE(r.output.find("lm-eval, lm-eval-samples: the model"), std::string::npos) << r.output;
}

TEST(ImportCli, SamplesBigBenchAndWideTablesImport) {
  const fs::path dir = fresh_dir("import_formats");
  const fs::path db = dir / "formats.sqlite";
  auto r = run_emlab("import lm-eval-samples " + data("samples/EleutherAI__pythia-160m") +
                     " --step 143000 --into " + db.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("4 example records"), std::string::npos) << r.output;
  // The records sit beside our own evaluations' and hold the choice log-likelihoods.
  EXPECT_EQ(query(db, "SELECT COUNT(*) FROM example_records"), "8");
  EXPECT_EQ(query(db,
                  "SELECT json_extract(record_json, '$.correct_choice') FROM example_records "
                  "WHERE task = 'arc_easy' AND example = 3"),
            "1");
  EXPECT_EQ(query(db, "SELECT value FROM metrics WHERE task = 'arc_easy' AND metric = 'acc_norm'"),
            "0.75");
  // Tokens are not in a BIG-bench file: imported blank, and said; --meta fills them in later.
  r = run_emlab("import bigbench " + data("bigbench") + " --into " + db.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("1 model(s) without training tokens or FLOPs"), std::string::npos)
      << r.output;
  EXPECT_EQ(query(db, "SELECT tokens_known FROM runs WHERE name = 'BIG-G T=0 2m'"), "0");
  std::ofstream(dir / "bb.csv") << "model,tokens\nBIG-G T=0 2m,131000000000\n";
  r = run_emlab("import bigbench " + data("bigbench") + " --meta " + (dir / "bb.csv").string() +
                " --into " + db.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find("already imported"), std::string::npos) << r.output;
  EXPECT_EQ(query(db, "SELECT family FROM runs WHERE name = 'BIG-G T=0 2m'"), "BIG-G T=0");
  EXPECT_EQ(query(db,
                  "SELECT tokens_known || ' ' || tokens_planned FROM runs WHERE name = "
                  "'BIG-G T=0 2m'"),
            "1 131000000000");

  std::ofstream(dir / "board.csv") << "Model,Size (B),Data (T),gsm8k\n"
                                      "a,1,1,0.1\nb,7,2,0.3\nc,70,2,0.8\n";
  r = run_emlab("import wide " + (dir / "board.csv").string() +
                " --params-column 'Size (B)' --params-unit B --tokens-column 'Data (T)' "
                "--tokens-unit T --family board --into " +
                db.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(query(db,
                  "SELECT parameters || ' ' || tokens_planned || ' ' || family FROM runs "
                  "WHERE name = 'c'"),
            "70000000000 2000000000000 board");
}

// A real leaderboard with holes (the Sloth table, tests/data/import/sloth/, with Qwen2's tokens
// and FLOPs, gemma-7b's tokens and dolly-v2-7b's size blanked): the import names what is
// missing, and every analysis that needs a missing fact names the models it leaves out.
TEST(ImportCli, ALeaderboardWithHolesImportsAndEveryAnalysisNamesWhatItLeftOut) {
  const fs::path dir = fresh_dir("import_holes");
  const fs::path db = dir / "board.sqlite";
  const fs::path table = sloth_table_with_holes(dir / "sloth_holes.csv", sloth_holes());
  const std::string import =
      "import wide " + table.string() + " " + sloth_wide_flags() + " --into " + db.string();
  auto r = run_emlab(import);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("model 'dolly-v2-7b' has no parameters (params)"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("--skip-incomplete"), std::string::npos) << r.output;
  EXPECT_EQ(query(db, "SELECT COUNT(*) FROM runs"), "0");

  r = run_emlab(import + " --skip-incomplete");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("without training tokens or FLOPs, imported with them blank"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("skipped 1 model(s) without a parameter count (--skip-incomplete): "
                          "dolly-v2-7b"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("1 model(s) skipped without a parameter count"), std::string::npos);
  EXPECT_EQ(query(db, "SELECT COUNT(*) FROM runs"), "97");
  EXPECT_EQ(query(db, "SELECT COUNT(DISTINCT family) FROM runs"), "50");
  EXPECT_EQ(query(db, "SELECT COUNT(*) FROM runs WHERE NOT tokens_known"), "5");
  EXPECT_EQ(query(db, "SELECT COUNT(*) FROM runs WHERE NOT flops_known"), "4");

  // Over FLOPs the Qwen2 models are left out, and named; over parameters no model is.
  const std::string qwen = "qwen2-0.5b, qwen2-1.5b, qwen2-72b, qwen2-7b";
  r = run_emlab("fit " + db.string() + " --emergence --curve-axis flops");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("note: the curves over flops: left out 4 model(s) without training "
                          "FLOPs: " +
                          qwen),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("arc / score                                     93"), std::string::npos)
      << r.output;
  r = run_emlab("fit " + db.string() + " --emergence --curve-axis params");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find("left out"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("arc / score                                     97"), std::string::npos)
      << r.output;
  r = run_emlab(
      "forecast " + db.string() +
      " --cutoff 2e12 --cutoff-axis tokens --abilities --curve-axis tokens --bootstrap 20 "
      "--json " +
      (dir / "forecast.json").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("note: the ability forecasts over tokens: left out 5 model(s) without "
                          "training tokens: gemma-7b, " +
                          qwen),
            std::string::npos)
      << r.output;
  const auto forecast = nlohmann::json::parse(read(dir / "forecast.json"));
  EXPECT_EQ(forecast["left_out"].size(), 1u);
  // The export keeps the holes blank; the report names what its sections left out.
  r = run_emlab("export " + db.string());
  EXPECT_NE(r.output.find("\nqwen2-7b,7000000000,,,,0,,arc,score,"), std::string::npos);
  EXPECT_NE(r.output.find("\ngemma-7b,7000000000,,,2.52e+23,0,,arc,score,"), std::string::npos);
  const auto report = report_json(db, dir);
  // families, emergence, forecast, observational scaling
  ASSERT_EQ(report["left_out"].size(), 4u) << report["left_out"];
  r = run_emlab("report " + db.string() + " -o " + (dir / "again.html").string());
  EXPECT_NE(r.output.find("note: Is it emergent? Verdicts by task and metric: The curves over "
                          "size (each at one token budget) and over training: left out 5 "
                          "model(s) without training tokens: "),
            std::string::npos)
      << r.output;
  EXPECT_NE(read(dir / "again.html").find("Left out:"), std::string::npos);
}

// The Sloth leaderboard's 97 models of 50 families (holes as above) as a report in headless
// Chromium: the families' charts against FLOPs and parameters, every task chart, the models table
// and the observational scaling section draw with a silent console; ten families named, 40 grey.
TEST(ImportCli, ALeaderboardOfFiftyFamiliesReportsByFamily) {
  if (find_chromium().empty()) GTEST_FAIL() << "chromium is missing: run scripts/setup.sh";
  const fs::path dir = fresh_dir("import_leaderboard_report");
  const fs::path db = dir / "board.sqlite";
  const fs::path table = sloth_table_with_holes(dir / "sloth_holes.csv", sloth_holes());
  auto r = run_emlab("import wide -q " + table.string() + " " + sloth_wide_flags() +
                     " --skip-incomplete --into " + db.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto report = report_json(db, dir);
  const auto& families = section(report, "families");
  ASSERT_TRUE(families["missing"].is_null()) << families["missing"];
  EXPECT_NE(families["text"].get<std::string>().find("97 imported models of 50 families"),
            std::string::npos)
      << families["text"];
  EXPECT_EQ(families["left_out"][0],
            "The scores against training FLOPs: left out 4 model(s) without training FLOPs: "
            "qwen2-0.5b, qwen2-1.5b, qwen2-72b, qwen2-7b");
  EXPECT_EQ(families["tables"][0]["rows"].size(), 50u);
  const auto& models = families["tables"][1];
  EXPECT_EQ(models["columns"],
            nlohmann::json({"model", "family", "parameters", "tokens", "FLOPs", "source"}));
  EXPECT_EQ(models["rows"].size(), 97u);
  ASSERT_EQ(report["left_out"].size(), 4u) << report["left_out"];
  // Observational scaling over the Open LLM Leaderboard v1 benchmarks; its backtest needs FLOPs.
  const auto& observational = section(report, "observational");
  EXPECT_NE(observational["text"].get<std::string>().find(
                "spanned by arc, hellaswag, mmlu, truthfulqa, winogrande over 97 models"),
            std::string::npos)
      << observational["text"];
  EXPECT_EQ(observational["left_out"][0],
            "the observational backtest: left out 4 model(s) without training FLOPs: "
            "qwen2-0.5b, qwen2-1.5b, qwen2-72b, qwen2-7b");

  const BrowserRun run = dump_dom(dir / "report.html");
  ASSERT_TRUE(run.ok()) << run.error;
  expect_report_drawn(run, report);
  for (const char* id : {"chart-families-flops", "chart-families-params"})
    EXPECT_EQ(attribute(opening_tag_with_id(run.dom, id), "data-status"), "ok") << id;
  EXPECT_NE(run.dom.find(">40 other families<"), std::string::npos);
  EXPECT_NE(run.dom.find("<td>sloth_holes.csv</td>"), std::string::npos);
  const fs::path shots = fs::path(EMLAB_CLI).parent_path() / "test-output" / "report";
  fs::create_directories(shots);
  EXPECT_TRUE(screenshot(dir / "report.html", shots / "sloth_leaderboard.png", 1400, 6000).ok());
}

TEST(ImportCli, ReportOfAnImportedFamilyDrawsEveryChart) {
  if (find_chromium().empty()) GTEST_FAIL() << "chromium is missing: run scripts/setup.sh";
  const fs::path dir = fresh_dir("import_report");
  const fs::path db = dir / "families.sqlite";
  for (const std::string family : {"bloom", "xglm"}) {
    std::string files;
    for (const auto& e : fs::directory_iterator(data("lm_eval/pre0.4_bloom_xglm")))
      if (e.path().filename().string().starts_with(family))
        files += fmt::format(" {}", e.path().string());
    const auto r = run_emlab(fmt::format("import lm-eval{} --meta {} --into {}", files,
                                         data("meta/" + family + ".csv"), db.string()));
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  EXPECT_EQ(query(db, "SELECT COUNT(DISTINCT family) FROM runs"), "2");
  const auto report = report_json(db, dir);
  size_t expected = 0;
  for (const auto& s : report["sections"]) expected += s["charts"].size();
  EXPECT_GE(expected, 10u);  // 12 task sections, the emergence shapes, the forecast
  const BrowserRun run = dump_dom(dir / "report.html");
  ASSERT_TRUE(run.ok()) << run.error;
  expect_report_drawn(run, report);
  EXPECT_NE(run.dom.find("Largest model: forecast against observed"), std::string::npos);
}

}  // namespace
}  // namespace emlab::testing
