#include "report/live_server.hpp"

#include <fmt/format.h>
#include <httplib.h>

#include <chrono>
#include <cstdio>
#include <mutex>
#include <optional>

#include "core/error.hpp"
#include "report/page.hpp"
#include "report/report_builder.hpp"
#include "results/result_set.hpp"
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
                     "(SELECT COALESCE(group_concat(status, ','), '') FROM runs) || ':' || "
                     "(SELECT COALESCE(MAX(created), 0) FROM verdicts)");
  return s.step() ? s.text(0) : std::string();
}

namespace {

// The report of the database as it is now, built again only when its state has changed: the fits
// take a second or more, and every open tab asks for the page after each change. One build at a
// time; a request that arrives meanwhile waits for it instead of starting its own.
class LiveReport {
 public:
  explicit LiveReport(const ServeOptions& o) : options_(o) {}
  nlohmann::json get() {
    std::lock_guard lock(mutex_);
    const std::string state = database_state(options_.database);
    if (report_.is_null() || state != state_) {
      store::Database db(options_.database, store::Database::Mode::kReadOnly);
      report_ = build_report(results::load_results(db));
      report_["live"] = {{"state", state}, {"poll_ms", options_.poll_ms}};
      state_ = state;
    }
    return report_;
  }

 private:
  const ServeOptions& options_;
  std::mutex mutex_;
  std::string state_;
  nlohmann::json report_;
};

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

// "GET /state 200 1.2 ms" for each request, timed from routing to the response written. httplib
// routes, answers and logs a request on one worker thread, hence a start time per thread; a
// request refused before routing (malformed) has none and shows "-".
void log_requests(httplib::Server& server) {
  using Clock = std::chrono::steady_clock;
  static thread_local std::optional<Clock::time_point> started;
  server.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    started = Clock::now();
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server.set_logger([](const httplib::Request& request, const httplib::Response& response) {
    std::string took = "-";
    if (started) {
      took = fmt::format(
          "{:.1f} ms", std::chrono::duration<double, std::milli>(Clock::now() - *started).count());
    }
    started.reset();
    // fmt writes the formatted line in one call: lines of concurrent requests do not interleave.
    fmt::print(stderr, "{} {} {} {}\n", request.method, request.path, response.status, took);
  });
}

}  // namespace

void serve_report(const ServeOptions& o) {
  require(o.allow_remote || is_loopback(o.host),
          "serve: {} is not a loopback address; the report would be readable from other machines. "
          "Pass --allow-remote if that is what you want",
          o.host);
  { store::Database check(o.database, store::Database::Mode::kReadOnly); }  // fail early
  httplib::Server server;
  LiveReport live(o);
  if (o.log_requests) log_requests(server);
  server.Get("/", [&](const httplib::Request&, httplib::Response& response) {
    answering(response,
              [&] { response.set_content(render_page(live.get()), "text/html; charset=utf-8"); });
  });
  server.Get("/state", [&](const httplib::Request&, httplib::Response& response) {
    answering(response, [&] { response.set_content(database_state(o.database), "text/plain"); });
  });
  server.Get("/report.json", [&](const httplib::Request&, httplib::Response& response) {
    answering(response, [&] { response.set_content(live.get().dump(), "application/json"); });
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
