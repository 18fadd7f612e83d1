#include "sweep/local_sweep.hpp"

#include <fmt/ranges.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <map>
#include <optional>
#include <thread>

#include "core/error.hpp"
#include "core/format.hpp"
#include "core/parse_number.hpp"
#include "core/threads.hpp"
#include "core/timer.hpp"
#include "store/run_store.hpp"
#include "sweep/ledger.hpp"
#include "sweep/progress_view.hpp"
#include "sweep/schedule.hpp"

extern char** environ;

namespace emlab::sweep {

namespace {

std::atomic<int> g_stop_signal{0};
extern "C" void on_local_sweep_stop(int signal) {
  g_stop_signal.store(signal);
}

struct Worker {
  pid_t pid = 0;
  std::string name;  // as the worker names itself in the database
};

Worker spawn_worker(const std::string& emlab, const std::string& database, int threads,
                    const std::vector<int>& cpus, bool keep_checkpoints,
                    double resume_every_seconds) {
  const std::string cpu_list = fmt::format("{}", fmt::join(cpus, ","));
  std::vector<std::string> args = {
      emlab, "sweep-worker", database, "--threads", std::to_string(threads), "--cpus", cpu_list};
  if (keep_checkpoints) args.push_back("--keep-checkpoints");
  args.push_back("--resume-every");
  args.push_back(fmt::format("{}", resume_every_seconds));
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, emlab.c_str(), nullptr, nullptr, argv.data(), environ);
  require(rc == 0, "cannot start a sweep worker ({}): {}", emlab, std::strerror(rc));
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  return {pid, fmt::format("{}:{}", host, pid)};
}

// The database file's device and inode. A file removed (or replaced) under a running sweep has
// none (or others): workers started on its path would find no runs and exit, and the sweep would
// start them again forever.
std::optional<std::pair<dev_t, ino_t>> file_identity(const std::string& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) return std::nullopt;
  return std::pair{info.st_dev, info.st_ino};
}

std::string describe_exit(int status) {
  if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
    return "killed by SIGKILL (the kernel's out-of-memory killer, or kill -9)";
  if (WIFSIGNALED(status)) return fmt::format("killed by signal {}", WTERMSIG(status));
  return fmt::format("exited with status {}", WEXITSTATUS(status));
}

}  // namespace

int run_local_sweep(const SweepConfig& config, const SweepOptions& options) {
  SweepSession session(config, options, "");
  if (session.nothing_to_do()) return 0;
  store::RunStore& store = session.store();
  const std::string database = session.database().string();
  const auto database_identity = file_identity(database);

  SweepConfig chosen = config;
  if (options.parallel_runs > 0) chosen.parallel_runs = options.parallel_runs;
  if (options.threads_per_run > 0) chosen.threads_per_run = options.threads_per_run;
  std::vector<RunSpec> todo;
  for (const store::RunRow& r : session.rows())
    if (r.status == "planned") todo.push_back(run_spec_from_stored(r.plan));
  const std::vector<int> cpus = available_cpus();
  const int cores = static_cast<int>(cpus.size());
  // Results are bit-reproducible only at a fixed thread count per run (docs/sweep.md), so the
  // first start's choice holds for the whole sweep unless overridden.
  const auto stored_threads = store.meta(kThreadsKey);
  if (stored_threads && options.threads_per_run <= 0) {
    if (config.threads_per_run > 0 && std::to_string(config.threads_per_run) != *stored_threads)
      fmt::print(
          "  note: the config asks for {} thread(s) per run, but this sweep's runs so far used "
          "{}; keeping {} (--threads changes it)\n",
          config.threads_per_run, *stored_threads, *stored_threads);
    chosen.threads_per_run = int(parse_integer(*stored_threads, "database meta 'threads_per_run'"));
    if (chosen.parallel_runs <= 0)
      chosen.parallel_runs = std::max(1, cores / chosen.threads_per_run);
  }
  const Schedule schedule = choose_schedule(chosen, todo, cpus, options.emlab);
  if (!stored_threads)
    store.set_meta(kThreadsKey, std::to_string(schedule.threads_per_run));
  else if (std::to_string(schedule.threads_per_run) != *stored_threads)
    fmt::print(
        "  note: earlier runs of this sweep used {} thread(s) per run; runs now use {}, "
        "which changes their numbers in the last digits\n",
        *stored_threads, schedule.threads_per_run);
  for (const ScheduleCandidate& c : schedule.measured)
    fmt::print("  measured {} run(s) x {} thread(s): {} tok/s on the largest run; sweep about {}\n",
               c.parallel_runs, c.threads_per_run, human_count(c.tokens_per_second),
               human_duration(c.predicted_seconds));
  fmt::print("  schedule: {} run(s) in parallel x {} thread(s) each ({})\n", schedule.parallel_runs,
             schedule.threads_per_run, schedule.how);
  std::fflush(stdout);

  g_stop_signal = 0;
  signal(SIGINT, on_local_sweep_stop);
  signal(SIGTERM, on_local_sweep_stop);
  std::map<int, Worker> slots;  // slot -> live worker
  std::string error;
  bool stopping = false, forwarded = false;
  auto planned_left = [&] {
    const auto& rows = session.rows();
    return std::count_if(rows.begin(), rows.end(), [](auto& r) { return r.status == "planned"; });
  };
  while (true) {
    if (g_stop_signal.load() != 0) stopping = true;
    if (error.empty() && file_identity(database) != database_identity) {
      error = fmt::format(
          "the results database {} was removed or replaced while the sweep ran; the runs in "
          "flight were stopped (their resume files stay in the runs folder)",
          database);
      stopping = true;
    }
    if (stopping && !forwarded) {  // Ctrl-C reaches the workers too; a plain kill does not
      for (auto& [slot, w] : slots) kill(w.pid, SIGTERM);
      forwarded = true;
    }
    int status = 0;
    for (pid_t pid; (pid = waitpid(-1, &status, WNOHANG)) > 0;) {
      for (auto it = slots.begin(); it != slots.end(); ++it) {
        if (it->second.pid != pid) continue;
        const bool clean =
            WIFEXITED(status) && (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 130);
        if (!clean && WIFSIGNALED(status))
          store.fail_runs_of_worker(it->second.name,
                                    "worker process " + describe_exit(status) + " during this run");
        else if (!clean) {
          error = fmt::format("a sweep worker {}; its message is above", describe_exit(status));
          stopping = true;
        }
        slots.erase(it);
        break;
      }
    }
    if (!stopping) {
      for (int slot = 0; slot < schedule.parallel_runs; ++slot) {
        if (slots.count(slot) || static_cast<int64_t>(slots.size()) >= planned_left()) continue;
        slots[slot] = spawn_worker(options.emlab, database, schedule.threads_per_run,
                                   slot_cpus(cpus, slot, schedule.threads_per_run),
                                   config.keep_checkpoints, config.resume_every_seconds);
      }
    }
    if (slots.empty()) break;
    session.refresh();
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  session.print_summary();
  if (!error.empty()) fail("{}", error);
  if (g_stop_signal.load() != 0) {
    fmt::print("interrupted; run the same command again to resume\n");
    return 130;
  }
  return 0;
}

}  // namespace emlab::sweep
