#pragma once
// Opens a local HTML file in Debian's chromium, headless, for tests of the HTML reports: the DOM
// after the page's scripts ran (--dump-dom), the console lines the page printed, and screenshots.
//
// Chromium writes every console message to stderr as "INFO:CONSOLE" whatever its level, so
// console.log cannot be told from console.error: a page under test should print nothing, and
// `console` holds every line it printed (uncaught errors and rejected promises included).
// --virtual-time-budget lets timers and promises run to the end before the DOM is dumped.
// LiveBrowser keeps a page open in real time instead, for tests that change what it shows.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace emlab::testing {

struct BrowserRun {
  std::string error;                 // why chromium could not run or failed; empty when it ran
  std::string dom;                   // the serialised DOM (--dump-dom), or empty
  std::vector<std::string> console;  // console messages, uncaught errors, rejected promises
  std::string log;                   // all that chromium wrote on stderr, for failure messages
  std::string command;               // the command line that ran

  bool ok() const { return error.empty(); }
};

namespace browser_detail {

inline std::string shell_quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// file:// URL of an absolute path, with every byte outside the unreserved set percent-encoded.
inline std::string file_url(const std::filesystem::path& path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string url = "file://";
  for (unsigned char c : std::filesystem::absolute(path).string()) {
    const bool plain = std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~';
    if (plain) {
      url += static_cast<char>(c);
    } else {
      url += '%';
      url += kHex[c >> 4];
      url += kHex[c & 15];
    }
  }
  return url;
}

// Lines of chromium's log that come from the page. A message that spans lines continues on
// lines without the "[pid:tid:time:LEVEL:source]" prefix.
inline std::vector<std::string> console_lines(const std::string& log) {
  std::vector<std::string> lines;
  std::istringstream in(log);
  std::string line;
  bool in_message = false;
  while (std::getline(in, line)) {
    const bool prefixed = !line.empty() && line.front() == '[';
    if (line.find(":CONSOLE") != std::string::npos || line.find("Uncaught") != std::string::npos ||
        line.find("console") != std::string::npos) {
      lines.push_back(line);
      in_message = true;
    } else if (in_message && !prefixed) {
      lines.back() += "\n" + line;
    } else {
      in_message = false;
    }
  }
  return lines;
}

// A fresh folder per run: chromium locks its profile, and tests run in parallel.
inline std::filesystem::path scratch_folder() {
  static std::atomic<int> counter{0};
  const auto dir =
      std::filesystem::temp_directory_path() /
      ("emlab_chromium_" + std::to_string(::getpid()) + "_" + std::to_string(counter.fetch_add(1)));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// Flags of every headless run: no sandbox or GPU in containers, logs (console included) on stderr.
inline const std::vector<std::string>& base_flags() {
  static const std::vector<std::string> flags = {
      "--headless=new",          "--no-sandbox",
      "--disable-gpu",           "--disable-dev-shm-usage",
      "--enable-logging=stderr", "--v=0",
      "--no-first-run",          "--no-default-browser-check",
      "--disable-extensions",    "--hide-scrollbars"};
  return flags;
}

}  // namespace browser_detail

// The chromium executable: $EMLAB_CHROMIUM if set, else the first of chromium or
// chromium-browser on PATH; empty when there is none.
inline std::string find_chromium() {
  if (const char* chosen = std::getenv("EMLAB_CHROMIUM"); chosen && *chosen) return chosen;
  const char* path = std::getenv("PATH");
  for (const char* name : {"chromium", "chromium-browser"}) {
    std::istringstream dirs(path ? path : "/usr/bin");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
      const auto candidate = std::filesystem::path(dir.empty() ? "." : dir) / name;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
  }
  return {};
}

// Runs chromium headless on html with extra_flags, under a hard time limit.
inline BrowserRun run_chromium(const std::filesystem::path& html,
                               const std::vector<std::string>& extra_flags,
                               int timeout_seconds = 120) {
  BrowserRun run;
  const std::string chromium = find_chromium();
  if (chromium.empty()) {
    run.error =
        "chromium not found on PATH (set EMLAB_CHROMIUM, or install Debian's chromium package: "
        "scripts/setup.sh)";
    return run;
  }
  if (::access(chromium.c_str(), X_OK) != 0) {
    run.error = "chromium is not an executable file: " + chromium + " (EMLAB_CHROMIUM)";
    return run;
  }
  const bool url = html.string().rfind("http://", 0) == 0;  // a page served by `emlab serve`
  if (!url && !std::filesystem::exists(html)) {
    run.error = "no such page: " + html.string();
    return run;
  }
  const auto scratch = browser_detail::scratch_folder();
  std::string command = "timeout -k 5 " + std::to_string(timeout_seconds) + " " +
                        browser_detail::shell_quote(chromium);
  for (const auto& flag : browser_detail::base_flags()) command += " " + flag;
  command += " --virtual-time-budget=20000";
  command += " " + browser_detail::shell_quote("--user-data-dir=" + (scratch / "profile").string());
  for (const auto& flag : extra_flags) command += " " + browser_detail::shell_quote(flag);
  command +=
      " " + browser_detail::shell_quote(url ? html.string() : browser_detail::file_url(html));
  run.command = command;
  command += " > " + browser_detail::shell_quote((scratch / "stdout").string()) + " 2> " +
             browser_detail::shell_quote((scratch / "stderr").string()) + " < /dev/null";

  const int status = std::system(command.c_str());
  run.dom = browser_detail::read_file(scratch / "stdout");
  run.log = browser_detail::read_file(scratch / "stderr");
  run.console = browser_detail::console_lines(run.log);
  std::filesystem::remove_all(scratch);
  if (status == -1 || !WIFEXITED(status)) {
    run.error = "chromium did not run: " + run.command;
  } else if (WEXITSTATUS(status) == 124 || WEXITSTATUS(status) == 137) {
    run.error = "chromium ran past " + std::to_string(timeout_seconds) + " s: " + run.command;
  } else if (WEXITSTATUS(status) != 0) {
    run.error = "chromium exited with " + std::to_string(WEXITSTATUS(status)) + ": " + run.command +
                "\n" + run.log;
  }
  return run;
}

// The DOM of the page after its scripts ran, and what it printed on the console.
inline BrowserRun dump_dom(const std::filesystem::path& html, int timeout_seconds = 120) {
  BrowserRun run = run_chromium(html, {"--dump-dom"}, timeout_seconds);
  if (run.ok() && run.dom.empty()) run.error = "chromium printed no DOM: " + run.command;
  return run;
}

// A PNG of the page, width x height pixels, written to png.
inline BrowserRun screenshot(const std::filesystem::path& html, const std::filesystem::path& png,
                             int width = 1400, int height = 3000, int timeout_seconds = 120) {
  std::filesystem::remove(png);
  BrowserRun run =
      run_chromium(html,
                   {"--screenshot=" + std::filesystem::absolute(png).string(),
                    "--window-size=" + std::to_string(width) + "," + std::to_string(height)},
                   timeout_seconds);
  if (run.ok() && !std::filesystem::exists(png)) {
    run.error = "chromium wrote no screenshot to " + png.string() + "\n" + run.log;
  }
  return run;
}

// A page kept open in headless chromium in real time, for a test that changes what the page
// watches while it is open. --dump-dom cannot: chromium 156 dumps at the load event (--timeout
// only bounds the wait for it), and under --virtual-time-budget the page's timers run in virtual
// time, so 20 s of polling pass in about two seconds of real time. Here chromium runs without
// either and the test asks the page over the DevTools protocol (--remote-debugging-pipe: chromium
// reads fd 3 and writes fd 4, each message JSON ended by a NUL byte; one socket serves both, so a
// write to a chromium that died fails instead of raising SIGPIPE). Every wait is bounded.
class LiveBrowser {
 public:
  using Ms = std::chrono::milliseconds;

  // Opens url; ok() is false, with error() saying why, when chromium or the page did not start.
  explicit LiveBrowser(const std::string& url, Ms timeout = Ms(60000)) {
    const auto deadline = Clock::now() + timeout;
    start(url);
    if (!ok()) return;
    // The page target appears once the browser is up; attach to it to evaluate in the page.
    while (ok() && session_.empty() && Clock::now() < deadline) {
      const auto targets = call("Target.getTargets", {}, false, deadline);
      if (!targets) break;
      for (const auto& target : targets->value("targetInfos", nlohmann::json::array())) {
        if (target.value("type", "") != "page") continue;
        const auto attached =
            call("Target.attachToTarget",
                 {{"targetId", target.value("targetId", "")}, {"flatten", true}}, false, deadline);
        if (attached) session_ = attached->value("sessionId", "");
        break;
      }
      if (session_.empty()) std::this_thread::sleep_for(Ms(100));
    }
    if (ok() && session_.empty()) error_ = "chromium showed no page of " + url + ": " + command_;
  }

  ~LiveBrowser() { close(); }
  LiveBrowser(const LiveBrowser&) = delete;
  LiveBrowser& operator=(const LiveBrowser&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  // The value of a JavaScript expression in the page: a string as it is, anything else as JSON.
  // nullopt when it threw, the page was between two documents (a reload), or no answer came.
  std::optional<std::string> evaluate(const std::string& expression, Ms timeout = Ms(10000)) {
    if (!ok() || session_.empty()) return std::nullopt;
    const auto answer =
        call("Runtime.evaluate", {{"expression", expression}, {"returnByValue", true}}, true,
             Clock::now() + timeout);
    if (!answer || answer->contains("exceptionDetails")) return std::nullopt;
    const auto& value = (*answer)["result"];
    if (value.value("type", "") == "string") return value["value"].get<std::string>();
    return value.contains("value") ? value["value"].dump() : value.value("type", "");
  }

  // Evaluates expression every 100 ms until it is true; false if it was not within timeout.
  bool wait_until(const std::string& expression, Ms timeout) {
    const auto deadline = Clock::now() + timeout;
    while (ok()) {
      const auto left = std::chrono::duration_cast<Ms>(deadline - Clock::now());
      if (left <= Ms(0)) return false;
      if (evaluate(expression, std::min(left, Ms(5000))) == "true") return true;
      std::this_thread::sleep_for(Ms(100));
    }
    return false;
  }

  // The page's DOM now; then closes chromium. The console and log are as dump_dom gives them.
  BrowserRun close() {
    if (pid_ > 0) {
      closed_.dom = evaluate("document.documentElement.outerHTML").value_or("");
      // Asked to close, chromium has 10 s to exit; then (or at once after a failure) its whole
      // process group is killed, helpers included.
      bool exited = false;
      if (ok() && post("Browser.close", {}, false) > 0) {
        for (int i = 0; i < 100 && !exited; ++i) {
          exited = ::waitpid(pid_, nullptr, WNOHANG) == pid_;
          if (!exited) std::this_thread::sleep_for(Ms(100));
        }
        if (!exited) error_ = "chromium did not exit when asked: " + command_;
      }
      ::kill(-pid_, SIGKILL);
      if (!exited) ::waitpid(pid_, nullptr, 0);
      pid_ = -1;
      closed_.log = browser_detail::read_file(scratch_ / "stderr");
      closed_.console = browser_detail::console_lines(closed_.log);
    }
    if (socket_ >= 0) ::close(socket_);
    socket_ = -1;
    if (!scratch_.empty()) std::filesystem::remove_all(scratch_);
    scratch_.clear();
    closed_.error = error_;
    closed_.command = command_;
    return closed_;
  }

 private:
  using Clock = std::chrono::steady_clock;

  void start(const std::string& url) {
    const std::string chromium = find_chromium();
    if (chromium.empty()) {
      error_ = "chromium not found on PATH (set EMLAB_CHROMIUM, or run scripts/setup.sh)";
      return;
    }
    scratch_ = browser_detail::scratch_folder();
    std::vector<std::string> args = {chromium};
    args.insert(args.end(), browser_detail::base_flags().begin(),
                browser_detail::base_flags().end());
    args.push_back("--user-data-dir=" + (scratch_ / "profile").string());
    args.push_back("--remote-debugging-pipe");
    args.push_back(url);
    for (const auto& arg : args) command_ += (command_.empty() ? "" : " ") + arg;

    int ends[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0) {
      error_ = "no socket for chromium";
      return;
    }
    socket_ = ends[0];
    // Above fd 4, so that neither dup2 below is a no-op that would leave the end close-on-exec.
    const int theirs = ::fcntl(ends[1], F_DUPFD_CLOEXEC, 10);
    ::close(ends[1]);
    if (theirs < 0) {
      error_ = "cannot duplicate chromium's end of the socket";
      return;
    }
    const std::string log = (scratch_ / "stderr").string();
    posix_spawn_file_actions_t files;
    posix_spawn_file_actions_init(&files);
    posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&files, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&files, 2, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&files, theirs, 3);
    posix_spawn_file_actions_adddup2(&files, theirs, 4);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);  // its own group, see close()
    posix_spawnattr_setpgroup(&attributes, 0);
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    pid_t pid = -1;
    const int spawned =
        ::posix_spawn(&pid, chromium.c_str(), &files, &attributes, argv.data(), environ);
    posix_spawn_file_actions_destroy(&files);
    posix_spawnattr_destroy(&attributes);
    ::close(theirs);
    if (spawned != 0) {
      error_ = "chromium did not start: " + command_;
      return;
    }
    pid_ = pid;
  }

  // Sends a command, to the page when to_page, else to the browser; its id, or 0 if it failed.
  int post(const std::string& method, nlohmann::json params, bool to_page) {
    const int id = ++last_id_;
    if (params.is_null()) params = nlohmann::json::object();
    nlohmann::json message = {{"id", id}, {"method", method}, {"params", std::move(params)}};
    if (to_page) message["sessionId"] = session_;
    const std::string text = message.dump() + '\0';
    for (size_t sent = 0; sent < text.size();) {
      const ssize_t n = ::send(socket_, text.data() + sent, text.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) {
        error_ = "chromium closed its DevTools pipe: " + command_;
        return 0;
      }
      sent += static_cast<size_t>(n);
    }
    return id;
  }

  // Posts a command and returns its result, or nullopt when it failed or no answer came before
  // deadline. Events, and answers that came too late for earlier calls, are skipped.
  std::optional<nlohmann::json> call(const std::string& method, nlohmann::json params, bool to_page,
                                     Clock::time_point deadline) {
    const int id = post(method, std::move(params), to_page);
    if (id == 0) return std::nullopt;
    while (true) {
      for (size_t end; (end = pending_.find('\0')) != std::string::npos;) {
        const auto reply = nlohmann::json::parse(pending_.substr(0, end), nullptr, false);
        pending_.erase(0, end + 1);
        if (reply.is_discarded() || !reply.is_object() || reply.value("id", 0) != id) continue;
        if (!reply.contains("result")) return std::nullopt;  // an error answer
        return reply["result"];
      }
      const auto left = std::chrono::duration_cast<Ms>(deadline - Clock::now()).count();
      pollfd readable{socket_, POLLIN, 0};
      if (left <= 0 || ::poll(&readable, 1, static_cast<int>(left)) <= 0) return std::nullopt;
      char buffer[65536];
      const ssize_t n = ::recv(socket_, buffer, sizeof buffer, 0);
      if (n <= 0) {
        error_ = "chromium closed its DevTools pipe: " + command_;
        return std::nullopt;
      }
      pending_.append(buffer, static_cast<size_t>(n));
    }
  }

  pid_t pid_ = -1;
  int socket_ = -1;
  int last_id_ = 0;
  std::string session_;  // DevTools session of the page
  std::string pending_;  // bytes read past the last whole message
  std::string error_;
  std::string command_;
  std::filesystem::path scratch_;
  BrowserRun closed_;
};

}  // namespace emlab::testing
