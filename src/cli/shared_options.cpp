#include "cli/shared_options.hpp"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace emlab::cli {

void add_measurement_input_options(CLI::App* cmd, MeasurementInput& input) {
  cmd->add_option("database", input.database, "a study's results database");
  cmd->add_option("--csv", input.csv, "long-format CSV (docs/csv-format.md)");
  cmd->add_option("--gadre", input.gadre_scaling,
                  "Gadre et al. 2024 scaling CSV (tests/data/analysis/gadre2024)");
  cmd->add_option("--gadre-downstream", input.gadre_downstream,
                  "Gadre et al. 2024 downstream CSV, for task curves");
  cmd->add_option("--loss-column", input.gadre_loss_column, "loss column of the Gadre CSV")
      ->capture_default_str();
}

void print_left_out(nlohmann::json& out, const std::string& note) {
  if (note.empty()) return;
  fmt::print("note: {}\n", note);
  out["left_out"].push_back(note);
}

void write_json_file(const std::string& path, const nlohmann::json& doc, int indent) {
  std::ofstream out(path);
  require(out.good(), "{}: cannot open for writing", path);
  out << doc.dump(indent) << "\n";
  out.flush();
  require(out.good(), "{}: write failed (disk full?)", path);
}

}  // namespace emlab::cli
