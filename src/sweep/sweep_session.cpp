#include "sweep/sweep_session.hpp"

#include <fmt/format.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/format.hpp"
#include "io/training_stream.hpp"
#include "sweep/ledger.hpp"

namespace emlab::sweep {

namespace {

double unix_time() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::filesystem::path database_path(const SweepConfig& config, const SweepOptions& options) {
  const std::filesystem::path path = options.database.empty() ? config.database : options.database;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  return path;
}

// Every run of a sweep trains on the same [data] with the same vocabulary, so one stream built
// here finds a data error (a corpus that does not fit the vocabulary, a bad task) before any
// worker starts: the sweep stops with it instead of failing each run. A corpus is tokenized here
// once, too, rather than by several workers at the same time.
void check_training_data(const SweepConfig& config, const std::vector<RunSpec>& plan) {
  if (plan.empty()) return;
  try {
    (void)io::make_training_stream(plan.front().config);
  } catch (const Error& e) {
    fail("{}: [data]: {}", config.source, e.what());
  }
}

}  // namespace

SweepSession::SweepSession(const SweepConfig& config, const SweepOptions& options,
                           const std::string& where)
    : database_(database_path(config, options)),
      lock_(database_),
      db_(database_),
      store_(db_),
      printer_(options.quiet) {
  nlohmann::json names = nlohmann::json::array();
  const std::vector<RunSpec> plan = plan_sweep(config);
  for (const RunSpec& run : plan) {
    store_.add_planned_run(to_planned_run(run));
    names.push_back(run.name);
    plan_names_.insert(run.name);
  }
  store_.set_meta("plan", names.dump());
  store_.set_meta("sweep_name", config.name);
  store_.set_meta("sweep_source", config.source);
  // We hold the lock, so no other process is running anything: 'running' rows are leftovers.
  const int resumed = store_.reset_interrupted_runs();
  if (options.retry_failed) store_.reset_failed_runs();
  rows_ = read_rows();
  start_ = tally(rows_);
  if (const size_t stored = store_.runs().size(); stored > rows_.size())
    fmt::print(
        "note: {} runs stored earlier are not in this config's plan; they are kept, not "
        "trained\n",
        stored - rows_.size());
  fmt::print("emlab sweep '{}'{}: {} runs in {} ({} completed, {} failed, {} to do{})\n",
             config.name, where, rows_.size(), database_.string(), start_.completed, start_.failed,
             start_.planned, resumed > 0 ? fmt::format("; {} interrupted resume", resumed) : "");
  if (nothing_to_do())
    fmt::print("nothing left to do{}\n",
               start_.failed > 0 ? " (--retry-failed runs the failed ones again)" : "");
  else
    check_training_data(config, plan);
  std::fflush(stdout);
}

std::vector<store::RunRow> SweepSession::read_rows() {
  std::vector<store::RunRow> rows;
  for (store::RunRow& r : store_.runs())
    if (plan_names_.count(r.plan.name) > 0) rows.push_back(std::move(r));
  return rows;
}

void SweepSession::refresh(bool final) {
  rows_ = read_rows();
  const SweepTally now = tally(rows_);
  const double rate = (now.done_flops - start_.done_flops) / std::max(elapsed_.seconds(), 1e-9);
  const double eta = rate > 0 ? (now.total_flops - now.done_flops) / rate : -1;
  printer_.update(rows_, elapsed_.seconds(), eta, final);
}

void SweepSession::print_summary() {
  refresh(true);
  fmt::print("\n{}", status_table(rows_, unix_time()));
  fmt::print("wall time {}; results in {} (emlab status / export / fit read it)\n",
             human_duration(elapsed_.seconds()), database_.string());
  std::fflush(stdout);
}

}  // namespace emlab::sweep
