#pragma once
// A sweep worker: takes runs from the ledger one after another until none is left or it is told
// to stop. One process per worker, so each run has its own cores and a crash costs one run.
#include <atomic>
#include <filesystem>

#include "sweep/ledger.hpp"
#include "sweep/run_executor.hpp"

namespace emlab::sweep {

struct WorkerSummary {
  int completed = 0, failed = 0, lost = 0;
  bool paused = false;  // stopped by a signal; its run is resumable
};

WorkerSummary run_worker(Ledger& ledger, const ExecutorOptions& options);

// Pins this process to the listed CPUs (ignored where the OS refuses) and makes it die with its
// parent, so a killed sweep leaves no orphans writing to the database.
void bind_worker_process(const std::vector<int>& cpus);

}  // namespace emlab::sweep
