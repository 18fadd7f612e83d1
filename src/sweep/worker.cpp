#include "sweep/worker.hpp"

#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>

namespace emlab::sweep {

WorkerSummary run_worker(Ledger& ledger, const ExecutorOptions& options) {
  WorkerSummary summary;
  while (options.stop == nullptr || !options.stop->load()) {
    const auto assignment = ledger.claim();
    if (!assignment) break;
    switch (execute_run(*assignment, ledger, options)) {
      case RunOutcome::kCompleted:
        ++summary.completed;
        break;
      case RunOutcome::kFailed:
        ++summary.failed;
        break;
      case RunOutcome::kLost:
        ++summary.lost;
        break;
      case RunOutcome::kPaused:
        summary.paused = true;
        return summary;
    }
  }
  summary.paused = options.stop != nullptr && options.stop->load();
  return summary;
}

void bind_worker_process(const std::vector<int>& cpus) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (cpus.empty()) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int c : cpus) CPU_SET(c, &set);
  sched_setaffinity(0, sizeof(set), &set);
}

}  // namespace emlab::sweep
