// emlab serve: the report of a study on http://127.0.0.1, refreshed while a sweep writes.
#include "cli/commands.hpp"
#include "report/live_server.hpp"

namespace emlab::cli {

void register_serve(CLI::App& app) {
  auto o = std::make_shared<report::ServeOptions>();
  CLI::App* cmd = app.add_subcommand("serve", "Serve a study's report locally, live while it runs");
  cmd->add_option("database", o->database, "Results database")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--host", o->host, "Address to listen on (default 127.0.0.1)");
  cmd->add_option("--port", o->port, "Port (default 8765; 0 picks a free one)");
  cmd->add_flag("--allow-remote", o->allow_remote, "Allow a non-loopback --host");
  cmd->add_option("--poll-ms", o->poll_ms, "How often the page checks for new results");
  cmd->add_flag("--log-requests", o->log_requests,
                "Print each request answered on stderr (method, path, status, time)");
  cmd->callback([o] { report::serve_report(*o); });
}

}  // namespace emlab::cli
