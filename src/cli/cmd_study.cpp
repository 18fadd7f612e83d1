// emlab study: each claim about emergence as one study that ends in a verdict.
//   emlab study list                 every study with its claim and its measured time
//   emlab study run NAME [--scale]   its sweeps, analysis and verdict (resumable)
//   emlab study run --all [--scale]  every study, then one summary report (resumable)
//   emlab study power NAME [--scale] its rule's power and false-positive rate, simulated at its
//                                    design (nothing trains)
//   emlab study verdicts DB          the verdicts stored in a database
#include <fmt/format.h>

#include <filesystem>

#include "cli/commands.hpp"
#include "cli/format.hpp"
#include "cli/study_all.hpp"
#include "core/error.hpp"
#include "report/report_file.hpp"
#include "store/database.hpp"
#include "store/verdict_store.hpp"
#include "study/study_definition.hpp"
#include "study/study_runner.hpp"

namespace emlab::cli {

namespace {

struct StudyRunCommand {
  std::string name;
  std::string scale = "small";
  std::string database;
  std::string dir;
  std::string report;  // the HTML report ("": next to the database)
  bool all = false;
  std::string summary;  // --all: the summary database
  study::StudyRunOptions options;
};

// NAME is a study in the studies folder, or a path to a study file.
std::string study_path(const std::string& name, const std::string& dir) {
  if (name.find('/') != std::string::npos || name.ends_with(".toml")) {
    require(std::filesystem::exists(name), "no study file {}", name);
    return name;
  }
  const std::string path = (std::filesystem::path(dir) / (name + ".toml")).string();
  if (!std::filesystem::exists(path)) {
    std::string known;
    for (const auto& n : study::study_names(dir)) known += (known.empty() ? "" : ", ") + n;
    fail("unknown study '{}' (studies in {}: {})", name, dir, known.empty() ? "none" : known);
  }
  return path;
}

void list_studies(const std::string& dir) {
  const auto names = study::study_names(dir);
  require(!names.empty(), "no study files (*.toml) in {}", dir);
  for (const std::string& name : names) {
    const std::string path = (std::filesystem::path(dir) / (name + ".toml")).string();
    try {
      const study::StudyDefinition d = study::load_study_definition(path, "small");
      fmt::print(
          "{:<16} {}{}\n{:<16} kind {}; {}\n\n", d.name,
          d.control.empty() ? "" : fmt::format("[{} control of {}] ", d.control, d.control_for),
          d.claim, "", d.kind, d.time.empty() ? "time not measured yet" : d.time);
    } catch (const Error& e) {
      fmt::print("{:<16} cannot be loaded: {}\n\n", name, e.what());
    }
  }
}

}  // namespace

void register_study(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "study", "Run a study of a claim about emergence, ending in a verdict (docs/studies.md)");
  cmd->require_subcommand(1);
  auto dir = std::make_shared<std::string>();

  CLI::App* list = cmd->add_subcommand("list", "Every study with its claim and measured time");
  list->add_option("--studies", *dir, "Folder of study files (default: studies/)");
  list->callback([dir] { list_studies(dir->empty() ? study::studies_dir() : *dir); });

  auto c = std::make_shared<StudyRunCommand>();
  CLI::App* run = cmd->add_subcommand("run", "Run a study's sweeps, analysis and verdict");
  run->add_option("name", c->name, "Study name (see `emlab study list`) or a study file");
  run->add_flag("--all", c->all,
                "Every study in the studies folder, then one summary report (resumable)");
  run->add_option("--summary", c->summary,
                  "With --all: the summary database (default runs/studies/all-SCALE.sqlite)");
  run->add_option("--scale", c->scale, "smoke (a minute or two), small (default), full")
      ->check(CLI::IsMember({"smoke", "small", "full"}));
  run->add_option("--db", c->database, "Results database (default: the study's sweep config)");
  run->add_option("--report", c->report, "HTML report (default: next to the database)");
  run->add_option("--studies", c->dir, "Folder of study files (default: studies/)");
  run->add_option("--parallel", c->options.sweep.parallel_runs, "Runs in parallel");
  run->add_option("--threads", c->options.sweep.threads_per_run, "Threads per run");
  run->add_flag("--analyse-only", c->options.analyse_only,
                "Judge what the database holds without running the sweeps");
  run->add_flag("-q,--quiet", c->options.sweep.quiet, "No progress display");
  run->add_option("--simulations", c->options.simulations,
                  "Simulations per world behind the rule's power (0: skip)")
      ->check(CLI::NonNegativeNumber);
  run->callback([c] {
    c->options.sweep.emlab = std::filesystem::read_symlink("/proc/self/exe").string();
    if (c->all) {
      require(c->name.empty(), "study run: give a study NAME or --all, not both");
      require(c->database.empty() && c->report.empty(),
              "study run --all: each study keeps its own database and report (--db and --report "
              "name one study's); the summary goes to --summary");
      AllStudiesOptions all;
      all.scale = c->scale;
      all.dir = c->dir.empty() ? study::studies_dir() : c->dir;
      all.summary = c->summary;
      all.run = c->options;
      const int code = run_all_studies(all);
      if (code != 0) throw ExitCode{code};
      return;
    }
    require(!c->name.empty(), "study run: give a study NAME (see `emlab study list`) or --all");
    const std::string path = study_path(c->name, c->dir.empty() ? study::studies_dir() : c->dir);
    const study::StudyDefinition d = study::load_study_definition(path, c->scale, c->database);
    const int code = study::run_study(d, c->options);
    if (code != 0) throw ExitCode{code};
    std::filesystem::path report = c->report;
    if (report.empty()) report = std::filesystem::path(d.database()).replace_extension(".html");
    const report::WrittenReport written = report::write_report_file(d.database(), report);
    fmt::print("  database: {}\n  report:   {}\n", d.database(), written.path.string());
  });

  auto p = std::make_shared<StudyRunCommand>();
  CLI::App* power = cmd->add_subcommand(
      "power",
      "Simulate a study's measurements with and without its effect, at its design, and "
      "say how often its rule says held (nothing trains)");
  power->add_option("name", p->name, "Study name or a study file")->required();
  power->add_option("--scale", p->scale, "smoke, small (default), full")
      ->check(CLI::IsMember({"smoke", "small", "full"}));
  power->add_option("--studies", p->dir, "Folder of study files (default: studies/)");
  power->add_option("--simulations", p->options.simulations, "Simulations per world")
      ->check(CLI::PositiveNumber);
  power->callback([p] {
    const std::string path = study_path(p->name, p->dir.empty() ? study::studies_dir() : p->dir);
    const study::StudyDefinition d = study::load_study_definition(path, p->scale);
    const study::RulePower result = study::rule_power(d, p->options.simulations, 1, false);
    fmt::print("study {} ({} scale), kind {}\n  rule: {}\n", d.name, d.scale, d.kind, d.rule.words);
    study::print_power(result);
    if (result.simulated) fmt::print("  ({:.1f} s)\n", result.seconds);
  });

  auto database = std::make_shared<std::string>();
  CLI::App* verdicts = cmd->add_subcommand("verdicts", "The verdicts stored in a database");
  verdicts->add_option("database", *database, "Results database")
      ->required()
      ->check(CLI::ExistingFile);
  verdicts->callback([database] {
    store::Database db(*database, store::Database::Mode::kReadOnly);
    const auto rows = store::VerdictStore(db).verdicts();
    if (rows.empty()) fmt::print("no study verdicts in {}\n", *database);
    for (const auto& v : rows) study::print_verdict(v);
  });
}

}  // namespace emlab::cli
