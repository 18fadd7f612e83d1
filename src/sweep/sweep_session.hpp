#pragma once
// What every sweep coordinator (one machine, or MPI rank 0) does around the work: opens the
// database under the sweep lock, stores the plan, hands back runs that an interrupted attempt left
// running, tracks progress for the display, and prints the summary at the end.
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "store/database.hpp"
#include "store/run_store.hpp"
#include "sweep/progress_view.hpp"
#include "sweep/sweep_config.hpp"
#include "sweep/sweep_lock.hpp"

namespace emlab::sweep {

struct SweepOptions {
  std::string database;  // overrides config.database when not empty
  std::string emlab;     // this executable, to start workers with
  bool quiet = false;    // no progress, only run ends and the summary
  bool retry_failed = false;
  int parallel_runs = 0, threads_per_run = 0;  // override the config when > 0
};

// The sweep_meta key holding the threads per run that the sweep's results were computed with
// (results are bit-reproducible only at a fixed thread count, docs/sweep.md).
inline constexpr const char* kThreadsKey = "threads_per_run";

class SweepSession {
 public:
  // `where` describes the workers in the opening line ("" or " over MPI: 2 worker ranks").
  SweepSession(const SweepConfig& config, const SweepOptions& options, const std::string& where);

  const std::filesystem::path& database() const { return database_; }
  store::Database& db() { return db_; }
  store::RunStore& store() { return store_; }
  // The runs of this config's plan as last read; refresh() reads them again and updates the
  // display. (Runs an earlier config stored and this one dropped stay in the database, untouched.)
  const std::vector<store::RunRow>& rows() const { return rows_; }
  void refresh(bool final = false);
  bool nothing_to_do() const { return start_.planned == 0; }

  void print_summary();

 private:
  std::vector<store::RunRow> read_rows();

  std::set<std::string> plan_names_;
  std::filesystem::path database_;
  SweepLock lock_;
  store::Database db_;
  store::RunStore store_;
  std::vector<store::RunRow> rows_;
  SweepTally start_;
  Timer elapsed_;
  ProgressPrinter printer_;
};

}  // namespace emlab::sweep
