#include "report/live_server.hpp"

#include <fmt/format.h>
#include <httplib.h>
#include <sys/socket.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

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

constexpr size_t kServerThreads = 64;
constexpr int kListenQueue = 128;

// One built report: what every request is answered from until a newer one is ready.
struct Snapshot {
  std::string state;  // database_state() when its build began
  std::string page;   // the HTML page
  std::string json;   // /report.json
  std::string error;  // why the build failed (then page and json are empty)
};

// The report of the database, rebuilt in the background whenever its state changes: the fits
// take a second or more, and a request must never wait for them. Requests are answered from the
// last complete build, swapped in whole when the next one is done, so /state names the state of
// the page being served and an open page reloads only once a newer page is ready.
class LiveReport {
 public:
  explicit LiveReport(const ServeOptions& o) : options_(o) {
    current_ = build(database_state(o.database));
    builder_ = std::thread([this] { watch(); });
  }
  ~LiveReport() {
    {
      std::lock_guard lock(wake_mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    builder_.join();
  }
  LiveReport(const LiveReport&) = delete;
  LiveReport& operator=(const LiveReport&) = delete;

  std::shared_ptr<const Snapshot> current() const {
    std::lock_guard lock(current_mutex_);
    return current_;
  }

 private:
  // How often the builder looks at the database: well under the page's poll interval.
  static constexpr std::chrono::milliseconds kCheckEvery{100};

  std::shared_ptr<const Snapshot> build(const std::string& state) const {
    auto s = std::make_shared<Snapshot>();
    s->state = state;
    try {
      store::Database db(options_.database, store::Database::Mode::kReadOnly);
      nlohmann::json report = build_report(results::load_results(db));
      report["live"] = {{"state", state}, {"poll_ms", options_.poll_ms}};
      s->page = render_page(report);
      s->json = report.dump();
    } catch (const std::exception& e) {
      s->error = e.what();  // answered as a 500 until the database changes again
    }
    return s;
  }

  void watch() {
    std::unique_lock wake(wake_mutex_);
    while (!wake_.wait_for(wake, kCheckEvery, [this] { return stopping_; })) {
      wake.unlock();
      try {
        const std::string state = database_state(options_.database);
        if (state != current()->state) {
          auto next = build(state);
          std::lock_guard lock(current_mutex_);
          current_ = std::move(next);
        }
      } catch (const std::exception&) {
        // The database busy or replaced for a moment: look again at the next tick.
      }
      wake.lock();
    }
  }

  const ServeOptions& options_;
  mutable std::mutex current_mutex_;
  std::shared_ptr<const Snapshot> current_;
  std::mutex wake_mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread builder_;  // last: started after, and joined before, everything it uses
};

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
  // A thread per open connection: a browser tab keeps its connection alive between polls, and
  // with httplib's default (8 threads on 2 cores) the ninth tab waited for a free one (1.2 s).
  server.new_task_queue = [] { return new httplib::ThreadPool(kServerThreads); };
  // httplib (Debian's compiled library) listens with a queue of 5 connections: a burst of tabs
  // (or the load test's 16 clients) reconnecting at once overflowed it, and each refused
  // connection waited out TCP's 1 s retry. Listening again on the bound socket lengthens it.
  socket_t listening = INVALID_SOCKET;
  server.set_socket_options([&listening](socket_t sock) {
    httplib::default_socket_options(sock);
    listening = sock;
  });
  LiveReport live(o);
  if (o.log_requests) log_requests(server);
  // Each answer copies a string of the current build: no request waits on a build.
  const auto serve = [&](std::string Snapshot::*field, const char* type) {
    return [&live, field, type](const httplib::Request&, httplib::Response& response) {
      const auto snapshot = live.current();
      if (!snapshot->error.empty() && field != &Snapshot::state) {
        response.status = 500;
        response.set_content("emlab serve: " + snapshot->error + "\n", "text/plain");
        return;
      }
      response.set_content(snapshot.get()->*field, type);
    };
  };
  server.Get("/", serve(&Snapshot::page, "text/html; charset=utf-8"));
  server.Get("/state", serve(&Snapshot::state, "text/plain"));
  server.Get("/report.json", serve(&Snapshot::json, "application/json"));
  const int port = o.port == 0 ? server.bind_to_any_port(o.host) : o.port;
  require(port > 0 && (o.port == 0 || server.bind_to_port(o.host, o.port)),
          "serve: cannot listen on {}:{} (in use, or not an address of this machine)", o.host,
          o.port);
  if (listening != INVALID_SOCKET) ::listen(listening, kListenQueue);
  const std::string shown = o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host;
  fmt::print("serving {} at http://{}:{}/ (Ctrl-C stops)\n", o.database, shown, port);
  std::fflush(stdout);
  require(server.listen_after_bind(), "serve: the server stopped unexpectedly");
}

}  // namespace emlab::report
