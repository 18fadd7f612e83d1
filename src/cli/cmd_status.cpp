// emlab status: what a study database holds: runs done, running, failed (with reason) and left.
#include <fmt/format.h>

#include <chrono>

#include "cli/commands.hpp"
#include "store/database.hpp"
#include "store/run_store.hpp"
#include "sweep/progress_view.hpp"

namespace emlab::cli {

void register_status(CLI::App& app) {
  auto database = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("status", "Show the runs of a results database");
  cmd->add_option("database", *database, "Results database")->required()->check(CLI::ExistingFile);
  cmd->callback([database] {
    store::Database db(*database, store::Database::Mode::kReadOnly);
    store::RunStore store(db);
    const double now =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    fmt::print("{}", sweep::status_table(store.runs(), now));
  });
}

}  // namespace emlab::cli
