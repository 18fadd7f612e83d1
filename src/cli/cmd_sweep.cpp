// emlab sweep: a family of runs over shape, data and seed into one results database, resumable;
// and the hidden `sweep-worker` that the sweep starts once per parallel slot.
#include <fmt/format.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/format.hpp"
#include "core/error.hpp"
#include "core/parse_number.hpp"
#include "core/threads.hpp"
#include "nn/blas.hpp"
#include "report/report_file.hpp"
#include "store/database.hpp"
#include "sweep/ledger.hpp"
#include "sweep/local_sweep.hpp"
#include "sweep/mpi_sweep.hpp"
#include "sweep/schedule.hpp"
#include "sweep/sweep_config_toml.hpp"
#include "sweep/worker.hpp"

namespace emlab::cli {

namespace {

std::atomic<bool> g_worker_stop{false};
extern "C" void on_worker_stop(int) {
  g_worker_stop.store(true);
}

struct SweepCommand {
  std::string config_path;
  std::vector<std::string> overrides;
  sweep::SweepOptions options;
  bool plan_only = false;
  std::string report;  // write the study's HTML report here at the end
};

struct WorkerCommand {
  std::string database;
  std::string measure;  // a run config (JSON) to time instead of working
  double seconds = 1.5;
  int threads = 0;
  std::string cpus;
  bool keep_checkpoints = false;
  double resume_every_seconds = 30;
};

std::vector<int> parse_cpus(const std::string& list) {
  std::vector<int> cpus;
  std::stringstream in(list);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) cpus.push_back(int(parse_integer(item, "--cpus")));
  return cpus;
}

void print_plan(const std::vector<sweep::RunSpec>& runs) {
  fmt::print("{:<22} {:>7} {:>6} {:>5} {:>9} {:>9} {:>7} {:>9}  {}\n", "run", "layers", "width",
             "heads", "params", "tokens", "steps", "lr", "checkpoints");
  for (const auto& r : runs) {
    const auto& m = r.config.model;
    fmt::print(
        "{:<22} {:>7} {:>6} {:>5} {:>9} {:>9} {:>7} {:>9.2e}  {}\n", r.name, m.layers, m.width,
        m.heads, human_count(double(m.parameter_count())),
        human_count(double(r.config.steps) * r.config.batch_size * r.config.sequence_length()),
        r.config.steps, r.config.optim.learning_rate, fmt::join(r.checkpoint_steps, " "));
  }
}

void run_sweep(SweepCommand& c) {
  const sweep::SweepConfig config = sweep::load_sweep_config(c.config_path, c.overrides);
  if (c.plan_only) {
    print_plan(sweep::plan_sweep(config));
    return;
  }
  c.options.emlab = std::filesystem::read_symlink("/proc/self/exe").string();
  if (sweep::launched_by_mpi()) {
    const int code = sweep::run_mpi_sweep(config, c.options);
    if (code != 0) throw ExitCode(code);
    return;
  }
  const int code = sweep::run_local_sweep(config, c.options);
  if (!c.report.empty()) {  // also after an interruption: the report shows what is done so far
    const report::WrittenReport r = report::write_report_file(
        c.options.database.empty() ? config.database : c.options.database, c.report);
    fmt::print("report: {}\n", r.path.string());
  }
  if (code != 0) throw ExitCode(code);
}

void run_worker_command(const WorkerCommand& w) {
  sweep::bind_worker_process(parse_cpus(w.cpus));
  set_thread_count(w.threads);
  nn::reserve_blas_buffers(w.threads);
  if (!w.measure.empty()) {
    std::ifstream in(w.measure);
    require(in.good(), "cannot read {}", w.measure);
    const auto config = train::train_config_from_json(nlohmann::json::parse(in));
    fmt::print("{}\n", sweep::measure_run_throughput(config, w.seconds));
    return;
  }
  std::signal(SIGINT, on_worker_stop);
  std::signal(SIGTERM, on_worker_stop);
  // A worker never creates the database: one missing here was removed after the sweep started it.
  require(std::filesystem::exists(w.database),
          "sweep-worker: the results database {} does not exist (removed while the sweep ran?)",
          w.database);
  store::Database db(w.database);
  sweep::DatabaseLedger ledger(db, sweep::worker_name());
  sweep::ExecutorOptions options;
  options.runs_dir = sweep::runs_dir_for(w.database);
  options.keep_checkpoints = w.keep_checkpoints;
  options.resume_every_seconds = w.resume_every_seconds;
  options.stop = &g_worker_stop;
  const sweep::WorkerSummary summary = sweep::run_worker(ledger, options);
  if (summary.paused) throw ExitCode(130);
}

}  // namespace

void register_sweep(CLI::App& app) {
  auto c = std::make_shared<SweepCommand>();
  CLI::App* cmd = app.add_subcommand(
      "sweep", "Train and evaluate a family of models into one results database (resumable)");
  cmd->add_option("config", c->config_path, "Sweep config (TOML, see docs/sweep.md)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--set", c->overrides, "Override a config value: section.key=value")->take_all();
  cmd->add_option("-o,--db", c->options.database, "Results database (default: sweep.database)");
  cmd->add_option("--parallel", c->options.parallel_runs, "Runs in parallel (default: measured)");
  cmd->add_option("--threads", c->options.threads_per_run,
                  "Threads per run (default: as this sweep used before, else the config, else "
                  "measured)");
  cmd->add_flag("--retry-failed", c->options.retry_failed, "Run failed runs again");
  cmd->add_flag("--plan", c->plan_only, "Print the planned runs and stop");
  cmd->add_option("--report", c->report, "At the end, write the study's HTML report to this file");
  cmd->add_flag("-q,--quiet", c->options.quiet, "No progress display; run ends and summary only");
  cmd->callback([c] { run_sweep(*c); });

  auto w = std::make_shared<WorkerCommand>();
  CLI::App* worker = app.add_subcommand("sweep-worker", "");  // started by `emlab sweep`
  worker->group("");
  worker->add_option("database", w->database);
  worker->add_option("--measure", w->measure);
  worker->add_option("--seconds", w->seconds);
  worker->add_option("--threads", w->threads);
  worker->add_option("--cpus", w->cpus);
  worker->add_flag("--keep-checkpoints", w->keep_checkpoints);
  worker->add_option("--resume-every", w->resume_every_seconds);
  worker->callback([w] { run_worker_command(*w); });
}

}  // namespace emlab::cli
