#include "cli/study_all.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "core/error.hpp"
#include "core/format.hpp"
#include "core/timer.hpp"
#include "report/report_file.hpp"
#include "store/database.hpp"
#include "store/verdict_store.hpp"
#include "study/rule_power.hpp"
#include "study/study_definition.hpp"

namespace emlab::cli {

namespace {

namespace fs = std::filesystem;

struct Outcome {
  std::string study, verdict, power, false_positive_rate, report;
  double seconds = 0;
  std::string control;  // "+ induction": a positive control of the study induction
};

// The verdict `study` stored in its database, with the path of its report relative to the
// summary's folder (so the summary page links it wherever the folder moves).
store::VerdictRow stored_verdict(const study::StudyDefinition& d, const fs::path& report,
                                 const fs::path& summary) {
  store::Database db(d.database(), store::Database::Mode::kReadOnly);
  for (store::VerdictRow& row : store::VerdictStore(db).verdicts())
    if (row.study == d.name) {
      row.evidence = fs::relative(fs::absolute(report), fs::absolute(summary).parent_path());
      return row;
    }
  fail("study {}: no verdict stored in {}", d.name, d.database());
}

}  // namespace

int run_all_studies(const AllStudiesOptions& options) {
  const std::vector<std::string> names = study::study_names(options.dir);
  require(!names.empty(), "no study files (*.toml) in {}", options.dir);
  const fs::path summary = options.summary.empty()
                               ? fs::path("runs/studies") / ("all-" + options.scale + ".sqlite")
                               : fs::path(options.summary);
  if (summary.has_parent_path()) fs::create_directories(summary.parent_path());
  std::vector<Outcome> outcomes;
  int status = 0;
  Timer total;
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string& name = names[i];
    fmt::print("\n== study {} of {}: {} ({} scale) ==\n", i + 1, names.size(), name, options.scale);
    try {
      const study::StudyDefinition d = study::load_study_definition(
          (fs::path(options.dir) / (name + ".toml")).string(), options.scale);
      const int code = study::run_study(d, options.run);
      if (code == 130) {
        fmt::print(stderr, "interrupted: run the same command again to resume\n");
        return code;
      }
      if (code != 0) {
        outcomes.push_back({name, fmt::format("stopped (exit {})", code), "", "", "", 0, ""});
        status = 1;
        continue;
      }
      const fs::path report = fs::path(d.database()).replace_extension(".html");
      report::write_report_file(d.database(), report);
      store::VerdictRow row = stored_verdict(d, report, summary);
      {
        store::Database db(summary);
        store::VerdictStore(db).write(row);
      }
      const study::RulePower power =
          study::RulePower::from_json(nlohmann::json::parse(row.power_json, nullptr, false));
      outcomes.push_back(
          {name, row.verdict, power.simulated ? format_number(power.power, "{:.2f}") : kNoValue,
           power.simulated ? format_number(power.false_positive_rate, "{:.2f}") : kNoValue,
           report.string(), row.seconds,
           row.control.empty()
               ? ""
               : fmt::format("{} {}", row.control == "positive" ? "+" : "-", row.control_for)});
    } catch (const Error& e) {
      fmt::print(stderr, "study {}: {}\n", name, e.what());
      outcomes.push_back({name, "failed", "", "", "", 0, ""});
      status = 1;
    }
  }
  fmt::print("\n{:<20} {:<14} {:>6} {:>6} {:>9}  {:<20} {}\n", "study", "verdict", "power", "FPR",
             "time", "control of", "report");
  for (const Outcome& o : outcomes)
    fmt::print("{:<20} {:<14} {:>6} {:>6} {:>8.0f}s  {:<20} {}\n", o.study, o.verdict, o.power,
               o.false_positive_rate, o.seconds, o.control, o.report);
  fmt::print("all studies: {:.0f} s\n", total.seconds());
  if (fs::exists(summary)) {
    const report::WrittenReport written =
        report::write_report_file(summary.string(), fs::path(summary).replace_extension(".html"));
    fmt::print("  summary database: {}\n  summary report:   {}\n", summary.string(),
               written.path.string());
  }
  return status;
}

}  // namespace emlab::cli
