// `emlab sweep`, `status` and `export` as a user runs them: the database holds exactly the planned
// runs, checkpoints and metrics; kill -9 at random moments and resuming gives the same database as
// an uninterrupted sweep; MPI ranks give it too; bad input and a full disk fail clearly without
// damaging what was stored.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <thread>

#include "cli_runner.hpp"
#include "store/database.hpp"
#include "store/run_store.hpp"
#include "store/statement.hpp"

extern char** environ;

namespace emlab::testing {
namespace {

namespace fs = std::filesystem;

// Three small runs (about a second each on one core; the whole sweep about 2 s), evaluated at 4
// checkpoints on two tasks.
const char* kSweep = R"toml(
[sweep]
name = "test"
tokens = [80000]
seeds = [1]
parallel_runs = 2
threads_per_run = 1
# Weights saved every 50 ms of training too: kills land between those saves and checkpoints,
# and the pieces' boundaries (which depend on timing) must not change a single number.
resume_every_seconds = 0.05

[models]
context = 32
shapes = [ { width = 32, layers = 1, heads = 2 }, { width = 48, layers = 2, heads = 3 },
           { width = 64, layers = 2, heads = 4 } ]

[optim]
learning_rate = 3e-3
warmup_steps = 10

[data]
tasks = ["add(digits=2)"]

[train]
batch_size = 16

[checkpoints]
log_spaced = 3

[eval]
tasks = ["add(digits=2)", "copy(length=4)"]
examples = 24
samples = 2
validation_examples = 32
)toml";

constexpr int kRuns = 3, kCheckpoints = 4, kTasks = 2, kExamples = 24;
constexpr int kSteps = 157;  // 80000 tokens / (16 x 32), rounded up

fs::path write_config(const fs::path& dir, const std::string& text = kSweep) {
  const fs::path path = dir / "sweep.toml";
  std::ofstream(path) << text;
  return path;
}

std::string sweep_command(const fs::path& config, const fs::path& db) {
  return "sweep -q " + config.string() + " --db " + db.string();
}

// The sweep over 3 MPI ranks (2 workers) on this machine: as root, and with more ranks than cores.
std::string mpirun_sweep_command(const fs::path& config, const fs::path& db) {
  return "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 "
         "OMPI_MCA_rmaps_base_oversubscribe=1 mpirun -np 3 " EMLAB_CLI " " +
         sweep_command(config, db);
}

// Everything a sweep computes, in a canonical order, leaving out what differs between two
// correct sweeps (wall times, process names, attempt counts, live progress).
std::string database_content(const fs::path& path) {
  store::Database db(path, store::Database::Mode::kReadOnly);
  std::string out;
  auto dump = [&](const std::string& title, const std::string& sql) {
    store::Statement s(db, sql);
    out += "# " + title + "\n";
    while (s.step()) {
      for (int c = 0; c < s.column_count(); ++c) {
        if (c > 0) out += "|";
        out += s.text(c);
      }
      out += "\n";
    }
  };
  dump("runs",
       "SELECT name, config_json, schedule_json, seed, code_version, parameters, "
       "non_embedding_parameters, steps_planned, tokens_planned, quote(flops_planned), status, "
       "reason, quote(final_loss) FROM runs ORDER BY name");
  dump("checkpoints",
       "SELECT r.name, c.step, c.tokens, quote(c.flops), quote(c.train_loss), "
       "quote(c.validation_loss) FROM checkpoints c JOIN runs r ON r.id = c.run_id ORDER BY 1, 2");
  dump("metrics",
       "SELECT r.name, c.step, m.task, m.metric, quote(m.value), quote(m.lower), quote(m.upper), "
       "quote(m.stderr), m.n FROM metrics m JOIN checkpoints c ON c.id = m.checkpoint_id JOIN runs "
       "r ON r.id = c.run_id ORDER BY 1, 2, 3, 4");
  dump(
      "examples",
      "SELECT r.name, c.step, e.task, e.example, e.record_json FROM example_records e JOIN "
      "checkpoints c ON c.id = e.checkpoint_id JOIN runs r ON r.id = c.run_id ORDER BY 1, 2, 3, 4");
  dump("step losses",
       "SELECT r.name, s.step, quote(s.loss) FROM step_losses s JOIN runs r ON r.id = s.run_id "
       "ORDER BY 1, 2");
  return out;
}

int64_t scalar(const fs::path& path, const std::string& sql) {
  store::Database db(path, store::Database::Mode::kReadOnly);
  store::Statement s(db, sql);
  s.step();
  return s.integer(0);
}

// The uninterrupted reference sweep, shared by the tests that compare against it.
const fs::path& reference_database() {
  static const fs::path db = [] {
    // One per test process: ctest runs several tests that compare against it at once.
    const fs::path dir = fresh_dir("sweep_reference_" + std::to_string(getpid()));
    const auto r = run_emlab(sweep_command(write_config(dir), dir / "ref.sqlite"));
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return dir / "ref.sqlite";
  }();
  return db;
}

// Starts emlab with `args` in the background, output discarded; {"__shell__", COMMAND} starts a
// command line of "VAR=value ... program args" instead (exec'd, so the pid is the program's).
pid_t spawn_emlab(const std::vector<std::string>& args) {
  std::vector<std::string> all = {EMLAB_CLI};
  if (!args.empty() && args[0] == "__shell__")
    all = {"/bin/sh", "-c", "exec env " + args[1]};
  else
    all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  posix_spawn(&pid, all[0].c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

TEST(SweepCli, StoresExactlyThePlannedRunsCheckpointsAndMetrics) {
  const fs::path& db = reference_database();
  EXPECT_EQ(scalar(db, "SELECT COUNT(*) FROM runs"), kRuns);
  EXPECT_EQ(scalar(db, "SELECT COUNT(*) FROM runs WHERE status = 'completed'"), kRuns);
  EXPECT_EQ(scalar(db, "SELECT COUNT(*) FROM checkpoints"), kRuns * kCheckpoints);
  EXPECT_EQ(scalar(db, "SELECT COUNT(*) FROM example_records"),
            kRuns * kCheckpoints * kTasks * kExamples);
  // Every checkpoint has the same metric rows for each task, and no metric row twice.
  const int64_t metrics = scalar(db, "SELECT COUNT(*) FROM metrics");
  EXPECT_EQ(metrics % (kRuns * kCheckpoints), 0);
  EXPECT_GE(metrics / (kRuns * kCheckpoints), kTasks * 6);
  EXPECT_EQ(
      scalar(db, "SELECT COUNT(DISTINCT metric) FROM metrics WHERE metric IN ('pass@1', 'pass@2')"),
      2);
  // Each step's loss is stored once.
  EXPECT_EQ(scalar(db, "SELECT MAX(step) FROM checkpoints"), kSteps);
  EXPECT_EQ(scalar(db, "SELECT COUNT(*) FROM step_losses"), kRuns * kSteps);
  // Learning happened, and the validation loss was measured at every checkpoint.
  EXPECT_EQ(scalar(db, "SELECT COUNT(*) FROM checkpoints WHERE validation_loss IS NULL"), 0);
  EXPECT_EQ(scalar(db,
                   "SELECT COUNT(*) FROM checkpoints a JOIN checkpoints b ON a.run_id = b.run_id "
                   "WHERE a.step = 1 AND b.step = 157 AND b.validation_loss < a.validation_loss"),
            kRuns);
  // Provenance of every run.
  EXPECT_EQ(scalar(db, "SELECT COUNT(*) FROM runs WHERE code_version = '' OR machine_json = '{}'"),
            0);
  EXPECT_TRUE(fs::exists(db.parent_path() / "ref-runs" / "L1-d32-D80k-s1" / "final.safetensors"));

  const auto status = run_emlab("status " + db.string());
  ASSERT_EQ(status.exit_code, 0) << status.output;
  EXPECT_NE(status.output.find("3 runs: 3 completed, 0 running, 0 failed, 0 left"),
            std::string::npos)
      << status.output;

  // Running it again finds nothing to do and changes nothing.
  const std::string before = database_content(db);
  const auto again = run_emlab(sweep_command(db.parent_path() / "sweep.toml", db));
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("nothing left to do"), std::string::npos) << again.output;
  EXPECT_EQ(database_content(db), before);
}

TEST(SweepCli, RunsAConfigNoLongerPlansStayStoredButAreNotTrained) {
  const fs::path dir = fresh_dir("sweep_dropped");
  const fs::path db = dir / "dropped.sqlite";
  fs::copy_file(reference_database(), db);
  {
    store::Database d(db);
    store::RunStore store(d);
    store::PlannedRun ghost;
    ghost.name = "ghost";
    ghost.config_json = "{}";  // never trainable: claiming it would fail the sweep
    ghost.schedule_json = "{}";
    store.add_planned_run(ghost);
    // And one run of the plan still to do, so workers start while the ghost waits in the queue.
    d.execute("UPDATE runs SET status = 'planned' WHERE name = 'L1-d32-D80k-s1'");
  }
  const auto r = run_command("timeout 60 " EMLAB_CLI " " + sweep_command(write_config(dir), db));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("1 runs stored earlier are not in this config's plan"), std::string::npos)
      << r.output;
  EXPECT_EQ(scalar(db, "SELECT COUNT(*) FROM runs WHERE name = 'ghost' AND status = 'planned'"), 1);
  EXPECT_EQ(scalar(db, "SELECT COUNT(*) FROM runs WHERE status = 'completed'"), kRuns);
}

TEST(SweepCli, ExportFeedsTheScalingFits) {
  const fs::path& db = reference_database();
  const fs::path dir = fresh_dir("sweep_export");
  const auto csv =
      run_emlab("export " + db.string() + " --format csv -o " + (dir / "all.csv").string());
  ASSERT_EQ(csv.exit_code, 0) << csv.output;
  std::ifstream in(dir / "all.csv");
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header,
            "model,params,non_embedding_params,tokens,flops,step,loss,task,metric,value,stderr,n");
  int loss_rows = 0, rows = 0;
  for (std::string line; std::getline(in, line); ++rows)
    if (line.find(",,,,,") != std::string::npos) ++loss_rows;
  EXPECT_EQ(loss_rows, kRuns * kCheckpoints);
  EXPECT_EQ(rows - loss_rows, scalar(db, "SELECT COUNT(*) FROM metrics WHERE value IS NOT NULL"));

  const auto json = run_emlab("export " + db.string() + " --format json --final-only");
  ASSERT_EQ(json.exit_code, 0) << json.output;
  const auto doc = nlohmann::json::parse(json.output);
  ASSERT_EQ(doc["runs"].size(), 3u);
  EXPECT_EQ(doc["runs"][0]["checkpoints"].size(), 1u);
  EXPECT_EQ(doc["runs"][0]["checkpoints"][0]["step"], kSteps);
  EXPECT_EQ(doc["runs"][0]["config"]["model"]["width"], 32);

  // The analysis reads the exported file (and the database itself) as measurements.
  const auto fit = run_emlab("fit --csv " + (dir / "all.csv").string() +
                             " --form power --axis flops --bootstrap 50");
  EXPECT_EQ(fit.exit_code, 0) << fit.output;
  // `fit DB` reads the final checkpoint of each run: three points, too few for a 3-parameter law,
  // which it says.
  const auto direct =
      run_emlab("fit " + db.string() + " --form power --axis params --bootstrap 50");
  EXPECT_NE(direct.output.find("ref.sqlite: 3 loss points"), std::string::npos) << direct.output;
  EXPECT_NE(direct.output.find("3 points for 3 free parameters; need at least 4"),
            std::string::npos)
      << direct.output;
}

TEST(SweepCli, KillNineAtRandomMomentsThenResumeGivesTheSameDatabase) {
  const std::string expected = database_content(reference_database());
  const fs::path dir = fresh_dir("sweep_kill");
  const fs::path config = write_config(dir), db = dir / "killed.sqlite";
  std::mt19937 rng(20261128);
  // Each kill lands once a number of checkpoints drawn at random is stored (polled), not after a
  // wall-clock delay: faster kernels once let the whole sweep finish before the first delay ran
  // out, so no kill landed mid-sweep.
  std::uniform_int_distribution<int64_t> kill_after(1, kRuns * kCheckpoints - 1);
  auto stored_checkpoints = [&db]() -> int64_t {
    if (!fs::exists(db)) return 0;
    try {
      return scalar(db, "SELECT COUNT(*) FROM checkpoints");
    } catch (const std::exception&) {
      return 0;  // the sweep is still creating or writing it
    }
  };
  int partial_states = 0;
  for (int attempt = 0; attempt < 5; ++attempt) {
    const int64_t target = kill_after(rng);
    const pid_t pid = spawn_emlab({"sweep", "-q", config.string(), "--db", db.string()});
    ASSERT_GT(pid, 0);
    int status = 0;
    bool exited = false;
    while (!(exited = waitpid(pid, &status, WNOHANG) == pid) && stored_checkpoints() < target)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    if (!exited) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
    }
    if (fs::exists(db)) {
      const int64_t stored = scalar(db, "SELECT COUNT(*) FROM checkpoints");
      if (stored > 0 && stored < kRuns * kCheckpoints) ++partial_states;
    }
  }
  EXPECT_GT(partial_states, 0) << "no kill landed in the middle of the sweep";
  const auto r = run_emlab(sweep_command(config, db));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(database_content(db), expected);
}

// The processes whose parent is `parent` (the sweep's workers).
std::vector<pid_t> children_of(pid_t parent) {
  std::vector<pid_t> out;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    // pid (comm) state ppid ...: comm may hold spaces, so read after its closing parenthesis.
    const size_t close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 2));
    char state = 0;
    pid_t ppid = 0;
    rest >> state >> ppid;
    if (ppid == parent) out.push_back(std::stoi(name));
  }
  return out;
}

// Waits until `sql` (a count) on the database reaches `at_least`; false after 60 s.
bool wait_for(const fs::path& db, const std::string& sql, int64_t at_least) {
  for (int i = 0; i < 600; ++i) {
    if (fs::exists(db)) {
      try {
        if (scalar(db, sql) >= at_least) return true;
      } catch (const Error&) {  // the sweep is still creating it
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

// Starts the sweep as the leader of its own process group, sends the group SIGTERM once a
// checkpoint is stored, and returns the sweep's wait status (-1 when no checkpoint came in 60 s).
int sigterm_after_first_checkpoint(const fs::path& config, const fs::path& db) {
  const pid_t pid = spawn_emlab(
      {"__shell__", "setsid " EMLAB_CLI " sweep -q " + config.string() + " --db " + db.string()});
  if (pid <= 0) return -1;
  const bool stored = wait_for(db, "SELECT COUNT(*) FROM checkpoints", 1);
  kill(-pid, stored ? SIGTERM : SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  return stored ? status : -1;
}

// What Slurm does before it preempts a job: SIGTERM to every process of the job (here the
// sweep's process group: coordinator and workers). The runs in flight save their place, the
// sweep stops cleanly, and the next start resumes them from that checkpoint.
TEST(SweepCli, SigtermToTheWholeGroupSavesTheRunsInFlightAndResumes) {
  const std::string expected = database_content(reference_database());
  const fs::path dir = fresh_dir("sweep_sigterm");
  const fs::path config = write_config(dir), db = dir / "preempted.sqlite";
  const int status = sigterm_after_first_checkpoint(config, db);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_TRUE(WEXITSTATUS(status) == 130 || WEXITSTATUS(status) == 0) << WEXITSTATUS(status);
  EXPECT_EQ(scalar(db, "SELECT COUNT(*) FROM runs WHERE status IN ('running', 'failed')"), 0);
  const int64_t stored = scalar(db, "SELECT COUNT(*) FROM checkpoints");
  const auto r = run_emlab(sweep_command(config, db));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(database_content(db), expected);
  EXPECT_GE(scalar(db, "SELECT COUNT(*) FROM checkpoints"), stored);
}

// Another process holds the database's write lock past the busy timeout (10 s), e.g. a long
// `sqlite3` session: the sweep stops with a message naming the file, fails no run and loses
// nothing stored, and the next start, once the lock is gone, completes it.
TEST(SweepCli, ADatabaseLockedPastTheBusyTimeoutStopsTheSweepAndResumes) {
  const std::string expected = database_content(reference_database());
  const fs::path dir = fresh_dir("sweep_db_locked");
  const fs::path config = write_config(dir), db = dir / "locked.sqlite";
  // Part of the sweep first, stopped cleanly, so that there is something stored to keep.
  ASSERT_TRUE(WIFEXITED(sigterm_after_first_checkpoint(config, db)));
  const std::string stored = database_content(db);
  {
    store::Database holder(db);
    store::Database::Transaction lock(holder);  // the write lock, held until the sweep gives up
    const auto r = run_emlab("sweep -q " + config.string() + " --db " + db.string());
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find(db.string()), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("database is locked (another process held its write lock"),
              std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find("run the command again"), std::string::npos) << r.output;
  }
  EXPECT_EQ(scalar(db, "SELECT COUNT(*) FROM runs WHERE status = 'failed'"), 0)
      << "a lock held elsewhere is not the runs' fault";
  EXPECT_EQ(database_content(db), stored);
  const auto r = run_emlab(sweep_command(config, db));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(database_content(db), expected);
}

// One worker killed (as the kernel's OOM killer would): its run is marked failed with the
// reason, the other runs finish, and --retry-failed completes the sweep as if nothing happened.
TEST(SweepCli, AWorkerKilledFailsItsRunWithTheReasonAndARetryCompletesTheSweep) {
  const std::string expected = database_content(reference_database());
  const fs::path dir = fresh_dir("sweep_worker_killed");
  const fs::path config = write_config(dir), db = dir / "worker.sqlite";
  const pid_t pid = spawn_emlab({"sweep", "-q", config.string(), "--db", db.string()});
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(wait_for(db, "SELECT COUNT(*) FROM checkpoints", 1)) << "no checkpoint in 60 s";
  std::vector<pid_t> workers;
  for (int i = 0; i < 100 && workers.empty(); ++i) {
    workers = children_of(pid);
    if (workers.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_FALSE(workers.empty()) << "no worker process found";
  kill(workers.front(), SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);  // the sweep itself finished; a failed run is a result
  // Unless the worker had just finished its run, that run is failed with a reason naming the kill.
  const int64_t failed = scalar(db, "SELECT COUNT(*) FROM runs WHERE status = 'failed'");
  EXPECT_LE(failed, 1);
  if (failed == 1) {
    EXPECT_EQ(scalar(db,
                     "SELECT COUNT(*) FROM runs WHERE status = 'failed' AND reason LIKE "
                     "'%killed by SIGKILL%'"),
              1);
  }
  EXPECT_EQ(scalar(db, "SELECT COUNT(*) FROM runs WHERE status = 'completed'"), kRuns - failed);
  const auto r = run_emlab(sweep_command(config, db) + " --retry-failed");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // The retried run counts its attempts; everything else is as if nothing had happened.
  EXPECT_EQ(database_content(db), expected);
}

// The results database removed while the sweep runs (an `rm`, a scratch folder cleaned): the sweep
// stops with a message naming it, instead of starting workers that find no runs, again and again.
TEST(SweepCli, ADatabaseRemovedWhileTheSweepRunsStopsItWithAMessage) {
  const fs::path dir = fresh_dir("sweep_db_removed");
  const fs::path config = write_config(dir), db = dir / "removed.sqlite", log = dir / "out.txt";
  const pid_t pid =
      spawn_emlab({"__shell__", std::string(EMLAB_CLI) + " sweep -q " + config.string() + " --db " +
                                    db.string() + " > " + log.string() + " 2>&1"});
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(wait_for(db, "SELECT COUNT(*) FROM checkpoints", 1)) << "no checkpoint in 60 s";
  fs::remove(db);
  int status = 0;
  bool ended = false;
  for (int i = 0; i < 1200 && !ended; ++i) {
    ended = waitpid(pid, &status, WNOHANG) == pid;
    if (!ended) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (!ended) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    FAIL() << "the sweep still ran 120 s after its database was removed";
  }
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 1);
  std::ifstream in(log);
  const std::string output((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(output.find("removed.sqlite was removed or replaced while the sweep ran"),
            std::string::npos)
      << output;
}

// A resume file cut short (a crash of the file system) or overwritten is no resume point: the run
// starts over, skips the checkpoints already stored, and the database ends as if nothing happened.
TEST(SweepCli, TruncatedOrCorruptResumeFilesRestartTheirRunsAndLoseNothing) {
  const std::string expected = database_content(reference_database());
  const fs::path dir = fresh_dir("sweep_corrupt_resume");
  const fs::path config = write_config(dir), db = dir / "corrupt.sqlite";
  const pid_t pid = spawn_emlab({"sweep", "-q", config.string(), "--db", db.string()});
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(wait_for(db, "SELECT COUNT(*) FROM checkpoints", 2)) << "no checkpoints in 60 s";
  kill(pid, SIGINT);  // the runs in flight save resume files
  waitpid(pid, nullptr, 0);
  int damaged = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir / "corrupt-runs")) {
    if (entry.path().filename() != "resume.safetensors") continue;
    if (damaged++ % 2 == 0)
      fs::resize_file(entry.path(), fs::file_size(entry.path()) / 2);
    else
      std::ofstream(entry.path(), std::ios::binary | std::ios::trunc) << "not weights";
  }
  ASSERT_GT(damaged, 0) << "no resume file to damage";
  const auto r = run_emlab(sweep_command(config, db));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(database_content(db), expected);
}

// A loss that stops being finite fails the run with the step and the reason; the sweep goes on.
TEST(SweepCli, ANonFiniteLossFailsTheRunWithItsReason) {
  const fs::path dir = fresh_dir("sweep_nan");
  const fs::path config = write_config(dir), db = dir / "nan.sqlite";
  const auto r = run_emlab(sweep_command(config, db) + " --set optim.learning_rate=1e30");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(scalar(db,
                   "SELECT COUNT(*) FROM runs WHERE status = 'failed' AND reason LIKE "
                   "'%non-finite%'"),
            kRuns)
      << r.output;
}

// Under an address-space limit (`ulimit -v`) memory runs out as failed allocations, and OpenBLAS
// retries a failed one forever: emlab must stop with a message instead of hanging.
TEST(SweepCli, AnAddressSpaceLimitStopsClearlyInsteadOfHangingAndResumes) {
  const std::string expected = database_content(reference_database());
  const fs::path dir = fresh_dir("sweep_address_space");
  const fs::path config = write_config(dir), db = dir / "limited.sqlite";
  // Too little for the BLAS buffers: at start or in the worker, depending on the machine.
  // The timeout turns a hang into a failure of this test.
  auto r = run_command("bash -c 'ulimit -v 300000; exec timeout -s KILL 120 " EMLAB_CLI " " +
                       sweep_command(config, db) + "'");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("out of memory"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("ulimit -v"), std::string::npos) << r.output;
  if (fs::exists(db)) {
    EXPECT_EQ(scalar(db, "SELECT COUNT(*) FROM runs WHERE status = 'failed'"), 0)
        << "the limit is not the runs' fault";
  }
  r = run_emlab(sweep_command(config, db));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(database_content(db), expected);

  // Room for the BLAS buffers but not for a batch of 4,096 sequences: those runs fail with the
  // reason, and --retry-failed trains them once the limit is gone.
  const fs::path big = dir / "big.sqlite";
  const std::string big_sweep = sweep_command(config, big) + " --set train.batch_size=4096";
  r = run_command("bash -c 'ulimit -v 700000; exec timeout -s KILL 120 " EMLAB_CLI " " + big_sweep +
                  "'");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(scalar(big,
                   "SELECT COUNT(*) FROM runs WHERE status = 'failed' AND reason LIKE "
                   "'out of memory: % did not fit in the memory this worker may use'"),
            kRuns)
      << r.output;
  r = run_emlab(big_sweep + " --retry-failed");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(scalar(big, "SELECT COUNT(*) FROM runs WHERE status = 'completed'"), kRuns);
}

TEST(SweepCli, InterruptWithSigintPausesAndResumes) {
  const std::string expected = database_content(reference_database());
  const fs::path dir = fresh_dir("sweep_sigint");
  const fs::path config = write_config(dir), db = dir / "paused.sqlite";
  const pid_t pid = spawn_emlab({"sweep", "-q", config.string(), "--db", db.string()});
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  kill(pid, SIGINT);  // as Ctrl-C: the coordinator asks its workers to save their place
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_TRUE(WEXITSTATUS(status) == 130 || WEXITSTATUS(status) == 0) << WEXITSTATUS(status);
  EXPECT_EQ(scalar(db, "SELECT COUNT(*) FROM runs WHERE status = 'running'"), 0);
  const auto r = run_emlab(sweep_command(config, db));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(database_content(db), expected);
}

TEST(SweepCli, MpiRanksGiveTheSameDatabaseAsOneProcess) {
  if (run_command("command -v mpirun").exit_code != 0) GTEST_SKIP() << "mpirun is not installed";
  const std::string expected = database_content(reference_database());
  const fs::path dir = fresh_dir("sweep_mpi");
  const fs::path config = write_config(dir), db = dir / "mpi.sqlite";
  const auto r = run_command(mpirun_sweep_command(config, db));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("over MPI: 2 worker ranks"), std::string::npos) << r.output;
  EXPECT_EQ(database_content(db), expected);
  EXPECT_EQ(scalar(db, "SELECT COUNT(DISTINCT worker) FROM runs"), 2);
}

TEST(SweepCli, CtrlCOnMpirunEndsPromptlyAndResumes) {
  if (run_command("command -v mpirun").exit_code != 0) GTEST_SKIP() << "mpirun is not installed";
  const std::string expected = database_content(reference_database());
  const fs::path dir = fresh_dir("sweep_mpi_interrupt");
  const fs::path config = write_config(dir), db = dir / "mpi.sqlite";
  const std::string mpirun = mpirun_sweep_command(config, db);
  const pid_t pid = spawn_emlab({"__shell__", mpirun});
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  kill(pid, SIGINT);
  int status = 0;
  bool ended = false;
  for (int i = 0; i < 300 && !ended; ++i) {  // up to 30 s
    ended = waitpid(pid, &status, WNOHANG) == pid;
    if (!ended) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (!ended) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
  }
  ASSERT_TRUE(ended) << "mpirun did not end within 30 s of Ctrl-C";
  EXPECT_EQ(scalar(db, "SELECT COUNT(*) FROM runs WHERE status = 'running'"), 0);
  const auto r = run_command(mpirun);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(database_content(db), expected);
}

TEST(SweepCli, AnMpiRankKilledMidRunLosesNothingStoredAndResumes) {
  if (run_command("command -v mpirun").exit_code != 0) GTEST_SKIP() << "mpirun is not installed";
  const std::string expected = database_content(reference_database());
  const fs::path dir = fresh_dir("sweep_mpi_rank_dies");
  const fs::path config = write_config(dir), db = dir / "mpi.sqlite";
  const std::string mpirun = mpirun_sweep_command(config, db);
  const pid_t pid = spawn_emlab({"__shell__", mpirun});
  // Wait for a worker rank to report progress, then kill that rank's process.
  pid_t victim = 0;
  int64_t stored_before = 0;
  for (int i = 0; i < 200 && victim == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (!fs::exists(db)) continue;
    store::Database d(db, store::Database::Mode::kReadOnly);
    store::Statement s(d,
                       "SELECT worker, (SELECT COUNT(*) FROM checkpoints) FROM runs WHERE status = "
                       "'running' AND progress_step > 20 LIMIT 1");
    if (s.step()) {
      const std::string worker = s.text(0);  // "rank1@host:pid"
      victim = static_cast<pid_t>(std::stol(worker.substr(worker.rfind(':') + 1)));
      stored_before = s.integer(1);
    }
  }
  ASSERT_GT(victim, 0) << "no worker rank reported progress";
  kill(victim, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);  // mpirun ends the job when a rank dies
  EXPECT_GE(scalar(db, "SELECT COUNT(*) FROM checkpoints"), stored_before);  // nothing stored lost
  EXPECT_EQ(scalar(db, "SELECT COUNT(*) FROM runs WHERE status = 'failed'"), 0);
  const auto r = run_command(mpirun);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(database_content(db), expected);
}

TEST(SweepCli, AFailedRunIsRecordedWithItsReasonAndRetriedOnRequest) {
  const fs::path dir = fresh_dir("sweep_failed");
  // 12-digit sums do not fit a 32-token context: evaluating the first checkpoint fails the run.
  const fs::path config = write_config(dir), db = dir / "failed.sqlite";
  const std::string command =
      sweep_command(config, db) +
      " --set 'eval.tasks=[\"add(digits=12)\"]' --set 'sweep.tokens=[8000]'";
  auto r = run_emlab(command);
  ASSERT_EQ(r.exit_code, 0) << r.output;  // failed runs are results; the sweep itself finished
  EXPECT_EQ(scalar(db,
                   "SELECT COUNT(*) FROM runs WHERE status = 'failed' AND reason LIKE "
                   "'%context%'"),
            kRuns)
      << r.output;
  const auto status = run_emlab("status " + db.string());
  EXPECT_NE(status.output.find("3 runs: 0 completed, 0 running, 3 failed, 0 left"),
            std::string::npos)
      << status.output;
  EXPECT_NE(status.output.find("context"), std::string::npos) << status.output;
  r = run_emlab(command);
  EXPECT_NE(r.output.find("--retry-failed runs the failed ones again"), std::string::npos)
      << r.output;
  r = run_emlab(command + " --retry-failed");
  EXPECT_EQ(scalar(db, "SELECT MIN(attempts) FROM runs"), 2);
}

TEST(SweepCli, BadInputFailsClearlyAndDamagesNothing) {
  const fs::path dir = fresh_dir("sweep_bad");
  std::ofstream(dir / "broken.toml") << "[sweep]\ntokens = [100\n";
  auto r = run_emlab("sweep " + (dir / "broken.toml").string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("broken.toml:2"), std::string::npos) << r.output;

  std::ofstream(dir / "typo.toml") << "[sweep]\ntokens = [100]\n[models]\nshapes = []\nwidht = 3\n";
  r = run_emlab("sweep " + (dir / "typo.toml").string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("typo.toml:5: models.widht: unknown key"), std::string::npos) << r.output;

  // A database written by a newer emlab is refused by every command.
  const fs::path config = write_config(dir);
  {
    store::Database newer(dir / "newer.sqlite");
    newer.execute("PRAGMA user_version = 99");
  }
  for (const std::string& command :
       {sweep_command(config, dir / "newer.sqlite"), "status " + (dir / "newer.sqlite").string(),
        "export " + (dir / "newer.sqlite").string()}) {
    r = run_emlab(command);
    EXPECT_EQ(r.exit_code, 1) << command;
    EXPECT_NE(r.output.find("newer emlab"), std::string::npos) << r.output;
  }

  // Another sweep holds the database.
  const fs::path busy = dir / "busy.sqlite";
  const int fd = open((busy.string() + ".lock").c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_EQ(flock(fd, LOCK_EX), 0);
  r = run_emlab(sweep_command(config, busy));
  close(fd);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("another emlab sweep is working on it"), std::string::npos) << r.output;

  // A stored run planned differently is not overwritten by a changed config.
  const fs::path& ref = reference_database();
  fs::copy_file(ref, dir / "changed.sqlite");
  const std::string before = database_content(dir / "changed.sqlite");
  r = run_emlab(sweep_command(config, dir / "changed.sqlite") + " --set optim.learning_rate=0.01");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("stored with a different training config"), std::string::npos)
      << r.output;
  EXPECT_EQ(database_content(dir / "changed.sqlite"), before);
}

TEST(SweepCli, ReadOnlyDatabaseIsRefusedForWriting) {
  const fs::path dir = fresh_dir("sweep_readonly");
  fs::permissions(dir, fs::perms::all);  // the unprivileged user below must reach it
  const fs::path config = write_config(dir);
  fs::copy_file(reference_database(), dir / "ro.sqlite");
  fs::permissions(dir / "ro.sqlite",
                  fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  const std::string before = database_content(dir / "ro.sqlite");
  // Root writes through file permissions, so run as nobody when we are root.
  const std::string as_user =
      geteuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : "";
  auto r = run_command(as_user + EMLAB_CLI " " + sweep_command(config, dir / "ro.sqlite"));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("ro.sqlite"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("readonly"), std::string::npos) << r.output;
  EXPECT_EQ(database_content(dir / "ro.sqlite"), before);
  r = run_command(as_user + EMLAB_CLI " status " + (dir / "ro.sqlite").string());
  EXPECT_EQ(r.exit_code, 0) << r.output;  // reading still works
}

TEST(SweepCli, AFullDiskStopsTheSweepClearlyAndResumesIntact) {
  const std::string expected = database_content(reference_database());
  const fs::path dir = fresh_dir("sweep_full");
  const fs::path config = write_config(dir), db = dir / "full.sqlite";
  // The shell's file-size limit makes every write past 1 MB fail as on a full disk (EFBIG).
  auto r = run_command("bash -c 'trap \"\" XFSZ; ulimit -f 1024; exec " EMLAB_CLI " " +
                       sweep_command(config, db) + "'");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("full"), std::string::npos) << r.output;
  EXPECT_EQ(scalar(db, "SELECT COUNT(*) FROM runs WHERE status = 'failed'"), 0)
      << "a full disk is not the run's fault";
  {
    store::Database check(db, store::Database::Mode::kReadOnly);
    store::Statement s(check, "PRAGMA integrity_check");
    s.step();
    EXPECT_EQ(s.text(0), "ok");
  }
  // What was stored matches the reference, and the sweep finishes once there is room.
  r = run_emlab(sweep_command(config, db));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(database_content(db), expected);
}

}  // namespace
}  // namespace emlab::testing
