// emlab export: a results database as long-format CSV or JSON (docs/export.md).
#include <fmt/format.h>

#include <fstream>
#include <iostream>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "store/database.hpp"
#include "store/export.hpp"

namespace emlab::cli {

namespace {
struct ExportCommand {
  std::string database, format = "csv", output;
  store::ExportOptions options;
};
}  // namespace

void register_export(CLI::App& app) {
  auto c = std::make_shared<ExportCommand>();
  CLI::App* cmd =
      app.add_subcommand("export", "Write runs, checkpoints and metrics as CSV or JSON");
  cmd->add_option("database", c->database, "Results database")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--format", c->format,
                  "csv (long format), json (everything), probes (probe scores as CSV) or "
                  "verdicts (the studies' verdicts as CSV)")
      ->check(CLI::IsMember({"csv", "json", "probes", "verdicts"}));
  cmd->add_option("-o,--output", c->output, "Output file (default: standard output)");
  cmd->add_flag("--final-only", c->options.final_only,
                "Only the last checkpoint of each completed run");
  cmd->callback([c] {
    store::Database db(c->database, store::Database::Mode::kReadOnly);
    std::ofstream file;
    if (!c->output.empty()) {
      file.open(c->output);
      require(file.good(), "cannot write {}", c->output);
    }
    std::ostream& out = c->output.empty() ? std::cout : file;
    if (c->format == "csv")
      store::export_csv(db, out, c->options);
    else if (c->format == "probes")
      store::export_probes_csv(db, out, c->options);
    else if (c->format == "verdicts")
      store::export_verdicts_csv(db, out);
    else
      store::export_json(db, out, c->options);
    out.flush();
    require(out.good(), "writing {} failed (disk full?)", c->output.empty() ? "output" : c->output);
  });
}

}  // namespace emlab::cli
