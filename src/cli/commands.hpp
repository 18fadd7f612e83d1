#pragma once
// Each `emlab` subcommand lives in its own cmd_<name>.cpp and registers itself here.
#include <CLI/CLI.hpp>

namespace emlab::cli {

void register_train(CLI::App& app);
void register_bench(CLI::App& app);

}  // namespace emlab::cli
