#include "sweep/sweep_session.hpp"

#include <fmt/format.h>

#include "core/format.hpp"
#include "sweep/ledger.hpp"

namespace emlab::sweep {

namespace {

std::filesystem::path database_path(const SweepConfig& config, const SweepOptions& options) {
  const std::filesystem::path path = options.database.empty() ? config.database : options.database;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  return path;
}

}  // namespace

SweepSession::SweepSession(const SweepConfig& config, const SweepOptions& options,
                           const std::string& where)
    : database_(database_path(config, options)),
      lock_(database_),
      db_(database_),
      store_(db_),
      printer_(options.quiet) {
  for (const RunSpec& run : plan_sweep(config)) store_.add_planned_run(to_planned_run(run));
  store_.set_meta("sweep_name", config.name);
  store_.set_meta("sweep_source", config.source);
  // We hold the lock, so no other process is running anything: 'running' rows are leftovers.
  const int resumed = store_.reset_interrupted_runs();
  if (options.retry_failed) store_.reset_failed_runs();
  rows_ = store_.runs();
  start_ = tally(rows_);
  fmt::print("emlab sweep '{}'{}: {} runs in {} ({} completed, {} failed, {} to do{})\n",
             config.name, where, rows_.size(), database_.string(), start_.completed,
             start_.failed, start_.planned,
             resumed > 0 ? fmt::format("; {} interrupted resume", resumed) : "");
  if (nothing_to_do())
    fmt::print("nothing left to do{}\n",
               start_.failed > 0 ? " (--retry-failed runs the failed ones again)" : "");
  std::fflush(stdout);
}

void SweepSession::refresh(bool final) {
  rows_ = store_.runs();
  const SweepTally now = tally(rows_);
  const double rate = (now.done_flops - start_.done_flops) / std::max(elapsed_.seconds(), 1e-9);
  const double eta = rate > 0 ? (now.total_flops - now.done_flops) / rate : -1;
  printer_.update(rows_, elapsed_.seconds(), eta, final);
}

void SweepSession::print_summary() {
  refresh(true);
  const SweepTally end = tally(rows_);
  fmt::print("{} of {} runs completed, {} failed, {} left; wall time {}; database {}\n",
             end.completed, rows_.size(), end.failed, end.planned + end.running,
             human_duration(elapsed_.seconds()), database_.string());
  for (const store::RunRow& r : rows_)
    if (r.status == "failed") fmt::print("  failed: {}: {}\n", r.plan.name, r.reason);
  std::fflush(stdout);
}

}  // namespace emlab::sweep
