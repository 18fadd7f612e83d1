#pragma once
// `emlab sweep` on one machine: plans the runs into the database, hands them to worker processes
// (as many as the schedule says, each pinned to its own cores), shows progress, and on a restart
// continues where the last attempt stopped. One sweep at a time per database (a lock file).
#include "sweep/sweep_config.hpp"
#include "sweep/sweep_session.hpp"

namespace emlab::sweep {

// Returns the process exit status: 0 done (failed runs are results, listed in the summary),
// 130 interrupted (resumable), 1 when the sweep could not go on (its error is printed).
int run_local_sweep(const SweepConfig& config, const SweepOptions& options);

}  // namespace emlab::sweep
