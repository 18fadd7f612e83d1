#pragma once
// Opens a local HTML file in Debian's chromium, headless, for tests of the HTML reports: the DOM
// after the page's scripts ran (--dump-dom), the console lines the page printed, and screenshots.
//
// Chromium writes every console message to stderr as "INFO:CONSOLE" whatever its level, so
// console.log cannot be told from console.error: a page under test should print nothing, and
// `console` holds every line it printed (uncaught errors and rejected promises included).
// --virtual-time-budget lets timers and promises run to the end before the DOM is dumped.
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
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
  for (const char* flag :
       {"--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--virtual-time-budget=20000", "--enable-logging=stderr", "--v=0", "--no-first-run",
        "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars"}) {
    command += std::string(" ") + flag;
  }
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

}  // namespace emlab::testing
