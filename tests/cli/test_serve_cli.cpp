// `emlab serve` as a user runs it: it answers on loopback only unless asked, serves the live
// report, and a run that finishes while it is open shows up in what it serves (state, data, page)
// and in a page left open in a browser, which reloads itself.
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

#include "cli_runner.hpp"
#include "store/database.hpp"
#include "store/run_store.hpp"
#include "support/dom_query.hpp"
#include "support/headless_browser.hpp"
#include "sweep/ledger.hpp"
#include "sweep/sweep_config_toml.hpp"

extern char** environ;

namespace emlab::testing {
namespace {

namespace fs = std::filesystem;

const char* kConfig = R"toml(
[sweep]
name = "serve-test"
tokens = [20000]
threads_per_run = 1
[models]
context = 32
shapes = [ { width = 32, layers = 1, heads = 2 } ]
[data]
tasks = ["add(digits=2)"]
[train]
batch_size = 16
[checkpoints]
log_spaced = 2
[eval]
examples = 16
validation_examples = 32
)toml";

// `emlab serve DB --port 0` in the background; its URL is read from the line it prints. Its
// stderr goes to log when one is given.
struct Server {
  pid_t pid = 0;
  std::string url;
  ~Server() {
    if (pid > 0) {
      kill(pid, SIGTERM);
      waitpid(pid, nullptr, 0);
    }
  }
};

void start_server(Server& server, const fs::path& db, const std::vector<std::string>& extra = {},
                  const fs::path& log = {}) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  if (!log.empty()) {
    posix_spawn_file_actions_addopen(&actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  }
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  std::vector<std::string> args = {EMLAB_CLI, "serve",     db.string(), "--port",
                                   "0",       "--poll-ms", "500"};
  args.insert(args.end(), extra.begin(), extra.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  ASSERT_EQ(posix_spawn(&server.pid, EMLAB_CLI, &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  std::string line;
  char c = 0;
  while (read(fds[0], &c, 1) == 1 && c != '\n') line += c;
  close(fds[0]);
  const size_t at = line.find("http://");
  ASSERT_NE(at, std::string::npos) << line;
  server.url = line.substr(at, line.find(' ', at) - at);
}

std::string get(const std::string& url, const std::string& path) {
  const size_t host_end = url.find('/', 7);
  httplib::Client client(url.substr(0, host_end));
  const auto response = client.Get(path);
  EXPECT_TRUE(response) << url << path;
  if (!response) return {};
  EXPECT_EQ(response->status, 200) << path << ": " << response->body;
  return response->body;
}

// The state the server names once its background build of that state is served, asked every
// 50 ms for up to 60 s (a build takes about a second; much more on a busy machine).
std::string served_state(const std::string& url, const std::string& expected) {
  std::string state;
  for (int i = 0; i < 1200 && (state = get(url, "/state")) != expected; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  return state;
}

TEST(ServeCli, RefusesOtherAddressesUnlessAsked) {
  const fs::path dir = fresh_dir("serve_refuse");
  { store::Database db(dir / "s.sqlite"); }
  const auto r = run_emlab("serve " + (dir / "s.sqlite").string() + " --host 0.0.0.0");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("0.0.0.0 is not a loopback address"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("--allow-remote"), std::string::npos) << r.output;
  Server asked;  // with --allow-remote it listens on every address
  start_server(asked, dir / "s.sqlite", {"--host", "0.0.0.0", "--allow-remote"});
  EXPECT_EQ(asked.url.rfind("http://0.0.0.0:", 0), 0u) << asked.url;
}

// A database with the sweep of kConfig planned, not started: dir/s.sqlite, dir/sweep.toml.
fs::path planned_study(const fs::path& dir) {
  const fs::path db = dir / "s.sqlite";
  std::ofstream(dir / "sweep.toml") << kConfig;
  store::Database d(db);
  store::RunStore store(d);
  for (const auto& run :
       sweep::plan_sweep(sweep::load_sweep_config((dir / "sweep.toml").string(), {})))
    store.add_planned_run(sweep::to_planned_run(run));
  return db;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(ServeCli, ARunThatFinishesWhileItIsOpenShowsUp) {
  const fs::path dir = fresh_dir("serve_live");
  const fs::path db = planned_study(dir);
  Server server;
  start_server(server, db);
  ASSERT_FALSE(server.url.empty());
  EXPECT_EQ(server.url.rfind("http://127.0.0.1:", 0), 0u) << server.url;

  const std::string before = get(server.url, "/state");
  EXPECT_EQ(before, "0:planned:0");
  EXPECT_NE(get(server.url, "/report.json").find("0 completed"), std::string::npos);
  EXPECT_NE(get(server.url, "/").find("emlab-data"), std::string::npos);

  const auto sweep =
      run_emlab("sweep -q " + (dir / "sweep.toml").string() + " --db " + db.string());
  ASSERT_EQ(sweep.exit_code, 0) << sweep.output;
  // Checkpoints, statuses, verdicts: served once the server has rebuilt the page for them.
  ASSERT_EQ(served_state(server.url, "3:completed:0"), "3:completed:0");
  EXPECT_NE(get(server.url, "/report.json").find("1 completed"), std::string::npos);

  // The served page, as a browser shows it: drawn, silent, and watching for changes.
  if (find_chromium().empty()) GTEST_FAIL() << "chromium is missing: run scripts/setup.sh";
  const BrowserRun run = dump_dom(server.url);
  ASSERT_TRUE(run.ok()) << run.error;
  EXPECT_TRUE(run.console.empty()) << run.log;
  const std::string body(opening_tag(run.dom, "body"));
  EXPECT_EQ(attribute(body, "data-charts"), "done") << body;
  EXPECT_EQ(attribute(body, "data-live"), "watching") << body;
  EXPECT_NE(run.dom.find("completed"), std::string::npos);
}

// The page left open in a real browser, as a user watching a sweep would: chromium keeps it
// running in real time (LiveBrowser), the run finishes, and the page reloads itself to show it.
TEST(ServeCli, TheOpenPageReloadsWhenARunFinishes) {
  if (find_chromium().empty()) GTEST_FAIL() << "chromium is missing: run scripts/setup.sh";
  const fs::path dir = fresh_dir("serve_reload");
  const fs::path db = planned_study(dir);
  Server server;
  start_server(server, db, {"--log-requests"}, dir / "requests.log");  // polls every 500 ms
  ASSERT_FALSE(server.url.empty());

  LiveBrowser browser(server.url);
  ASSERT_TRUE(browser.ok()) << browser.error();
  // The page asks for /state only once it is drawn and watching, so the run finishes after the
  // page has loaded the planned study, not before.
  const auto polled = [&] { return read_text(dir / "requests.log").find("GET /state 200"); };
  for (int i = 0; i < 300 && polled() == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_NE(polled(), std::string::npos) << "the page never polled /state in 30 s; requests:\n"
                                         << read_text(dir / "requests.log");
  EXPECT_EQ(browser.evaluate("document.body.dataset.liveState"), "0:planned:0");

  const auto sweep =
      run_emlab("sweep -q " + (dir / "sweep.toml").string() + " --db " + db.string());
  ASSERT_EQ(sweep.exit_code, 0) << sweep.output;
  const std::string after = served_state(server.url, "3:completed:0");
  ASSERT_EQ(after, "3:completed:0");

  // Within 500 ms of the new page being served the open one sees it and reloads; drawing it
  // again takes a moment more.
  const bool shown = browser.wait_until("document.body.dataset.liveState === '" + after +
                                            "' && document.body.dataset.charts === 'done'",
                                        std::chrono::milliseconds(20000));
  const BrowserRun run = browser.close();
  ASSERT_TRUE(run.ok()) << run.error << "\n" << run.log;
  EXPECT_TRUE(shown) << "the open page did not show " << after << " within 20 s; requests:\n"
                     << read_text(dir / "requests.log");
  const std::string body(opening_tag(run.dom, "body"));
  EXPECT_GE(std::stoi(attribute(body, "data-live-reloads").value_or("0")), 1) << body;
  EXPECT_EQ(attribute(body, "data-live-state"), after) << body;
  EXPECT_EQ(attribute(body, "data-live"), "watching") << body;
  EXPECT_EQ(attribute(body, "data-charts"), "done") << body;
  EXPECT_NE(run.dom.find("1 completed"), std::string::npos);
  EXPECT_TRUE(run.console.empty()) << run.log;
}

// 16 clients ask for the state, the data and the page (at least 1,008 times in all) for as long
// as a sweep writes to the database and the server rebuilds its page: every answer is a 200, and
// the latencies are printed (measured, not asserted).
// Then every path that is not one of the three gets a 4xx and never a file from disk.
TEST(ServeCli, AnswersALoadOfRequestsWhileASweepWritesAndServesNoFile) {
  const fs::path dir = fresh_dir("serve_load");
  const fs::path db = planned_study(dir);
  Server server;
  start_server(server, db);
  ASSERT_FALSE(server.url.empty());
  const std::string host = server.url.substr(0, server.url.find('/', 7));

  const std::string sweep_command = std::string(EMLAB_CLI) + " sweep -q " +
                                    (dir / "sweep.toml").string() + " --db " + db.string();
  // Clients keep asking until the sweep has ended (at least 63 requests each), so the requests
  // span its writes and the page's rebuilds.
  std::atomic<bool> sweeping{true};
  std::thread sweep([&] {
    EXPECT_EQ(run_command(sweep_command).exit_code, 0);
    sweeping = false;
  });

  constexpr int kClients = 16, kPerClient = 63;
  std::mutex mutex;
  std::vector<double> latencies_ms;
  std::vector<std::string> failures;
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c)
    clients.emplace_back([&, c] {
      httplib::Client client(host);
      for (int i = 0; i < kPerClient || sweeping; ++i) {
        const int k = (c * kPerClient + i) % 10;  // 7 in 10 poll the state, as open pages do
        const char* path = k < 7 ? "/state" : k < 9 ? "/report.json" : "/";
        const auto t0 = std::chrono::steady_clock::now();
        const auto response = client.Get(path);
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count();
        std::lock_guard lock(mutex);
        latencies_ms.push_back(ms);
        if (!response || response->status != 200)
          failures.push_back(fmt::format("{} -> {}", path, response ? response->status : -1));
      }
    });
  for (auto& t : clients) t.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  sweep.join();
  EXPECT_TRUE(failures.empty()) << failures.size() << " failed, first: " << failures.front();
  ASSERT_GE(latencies_ms.size(), size_t(kClients * kPerClient));
  std::sort(latencies_ms.begin(), latencies_ms.end());
  const auto at = [&](double q) {
    return latencies_ms[size_t(q * double(latencies_ms.size() - 1))];
  };
  std::cout << fmt::format(
      "serve under load: {} requests from {} clients in {:.2f} s ({:.0f}/s); "
      "latency p50 {:.1f} ms, p99 {:.1f} ms, max {:.1f} ms\n",
      latencies_ms.size(), kClients, seconds, double(latencies_ms.size()) / seconds, at(0.5),
      at(0.99), latencies_ms.back());
  EXPECT_EQ(served_state(server.url, "3:completed:0"), "3:completed:0");  // every write seen

  // Anything else: a 4xx, never a file (the database, /etc/passwd, the source tree).
  httplib::Client client(host);
  for (const std::string& path :
       {std::string("/s.sqlite"), std::string("/../s.sqlite"), std::string("/../../etc/passwd"),
        std::string("/%2e%2e/%2e%2e/etc/passwd"), std::string("/..%2f..%2fetc%2fpasswd"),
        std::string("/report.json/../s.sqlite"), std::string("//etc/passwd"),
        std::string("/state?x=../../etc/passwd&y=%00"),
        fmt::format("/{}", std::string(20000, 'a'))}) {
    const auto response = client.Get(path);
    ASSERT_TRUE(response) << path.substr(0, 80);
    if (path.starts_with("/state?")) {  // a query string does not change what /state is
      EXPECT_EQ(response->status, 200);
      EXPECT_EQ(response->body, "3:completed:0");
      continue;
    }
    EXPECT_GE(response->status, 400) << path.substr(0, 80);
    EXPECT_LT(response->status, 500) << path.substr(0, 80);
    EXPECT_EQ(response->body.find("root:"), std::string::npos) << path.substr(0, 80);
    EXPECT_EQ(response->body.find("SQLite format"), std::string::npos) << path.substr(0, 80);
  }
}

}  // namespace
}  // namespace emlab::testing
