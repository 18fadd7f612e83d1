#pragma once
// Pieces several subcommands share: where measurements come from, and writing a JSON file.
#include <CLI/CLI.hpp>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "cli/measurement_input.hpp"

namespace emlab::cli {

// database / --csv / --gadre / --gadre-downstream / --loss-column, as `fit` and `forecast` take.
void add_measurement_input_options(CLI::App* cmd, MeasurementInput& input);

// Prints the note of an analysis that left models out (a table with holes: "note: ...") and
// keeps it under "left_out" in the JSON output; nothing when the note is empty.
void print_left_out(nlohmann::json& out, const std::string& note);

// Writes `doc` to `path` (indented), or throws emlab::Error naming the path.
void write_json_file(const std::string& path, const nlohmann::json& doc, int indent = 2);

}  // namespace emlab::cli
