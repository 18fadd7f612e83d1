#include "report/live_server.hpp"

#include <fmt/format.h>
#include <httplib.h>

#include <cstdio>

#include "core/error.hpp"
#include "report/page.hpp"
#include "report/report_builder.hpp"
#include "report/study.hpp"
#include "store/database.hpp"
#include "store/statement.hpp"

namespace emlab::report {

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

std::string database_state(const std::string& database) {
  store::Database db(database, store::Database::Mode::kReadOnly);
  store::Statement s(db,
                     "SELECT (SELECT COUNT(*) FROM checkpoints) || ':' || "
                     "(SELECT COALESCE(group_concat(status, ','), '') FROM runs)");
  return s.step() ? s.text(0) : std::string();
}

namespace {

nlohmann::json live_report(const ServeOptions& o) {
  const std::string state = database_state(o.database);
  store::Database db(o.database, store::Database::Mode::kReadOnly);
  nlohmann::json report = build_report(load_study(db));
  report["live"] = {{"state", state}, {"poll_ms", o.poll_ms}};
  return report;
}

// Runs a handler; an error becomes a 500 with the message instead of a dropped connection.
template <typename F>
void answering(httplib::Response& response, F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    response.status = 500;
    response.set_content(std::string("emlab serve: ") + e.what() + "\n", "text/plain");
  }
}

}  // namespace

void serve_report(const ServeOptions& o) {
  require(o.allow_remote || is_loopback(o.host),
          "serve: {} is not a loopback address; the report would be readable from other machines. "
          "Pass --allow-remote if that is what you want",
          o.host);
  { store::Database check(o.database, store::Database::Mode::kReadOnly); }  // fail early
  httplib::Server server;
  server.Get("/", [&](const httplib::Request&, httplib::Response& response) {
    answering(response, [&] {
      response.set_content(render_page(live_report(o)), "text/html; charset=utf-8");
    });
  });
  server.Get("/state", [&](const httplib::Request&, httplib::Response& response) {
    answering(response, [&] { response.set_content(database_state(o.database), "text/plain"); });
  });
  server.Get("/report.json", [&](const httplib::Request&, httplib::Response& response) {
    answering(response, [&] { response.set_content(live_report(o).dump(), "application/json"); });
  });
  const int port = o.port == 0 ? server.bind_to_any_port(o.host) : o.port;
  require(port > 0 && (o.port == 0 || server.bind_to_port(o.host, o.port)),
          "serve: cannot listen on {}:{} (in use, or not an address of this machine)", o.host,
          o.port);
  const std::string shown = o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host;
  fmt::print("serving {} at http://{}:{}/ (Ctrl-C stops)\n", o.database, shown, port);
  std::fflush(stdout);
  require(server.listen_after_bind(), "serve: the server stopped unexpectedly");
}

}  // namespace emlab::report
