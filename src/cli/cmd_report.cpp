// emlab report: one self-contained HTML page of a study (charts inline, opens offline).
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "report/report_file.hpp"

namespace emlab::cli {

namespace {
struct ReportCommand {
  std::string database, output = "report.html", json;
};
}  // namespace

void register_report(CLI::App& app) {
  auto c = std::make_shared<ReportCommand>();
  CLI::App* cmd = app.add_subcommand("report", "Write a self-contained HTML report of a study");
  cmd->add_option("database", c->database, "Results database")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", c->output, "HTML file to write (default report.html)");
  cmd->add_option("--json", c->json, "Also write the report's data as JSON");
  cmd->callback([c] {
    const report::WrittenReport r = report::write_report_file(c->database, c->output, c->json);
    for (const std::string& note : r.left_out) fmt::print("note: {}\n", note);
    fmt::print("report: {} ({:.1f} MB, {} sections); opens offline in any browser\n",
               r.path.string(), double(r.bytes) / 1e6, r.sections);
  });
}

}  // namespace emlab::cli
