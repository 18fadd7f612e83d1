#pragma once
// How a sweep uses one machine's cores: runs in parallel x threads per run. Chosen by measuring,
// for each split of the cores, the tokens per second of the sweep's most expensive run trained by
// that many concurrent processes, and keeping the split with the highest total.
#include <string>
#include <vector>

#include "sweep/sweep_config.hpp"

namespace emlab::sweep {

struct ScheduleCandidate {
  int parallel_runs = 1, threads_per_run = 1;
  double tokens_per_second = 0;  // all concurrent processes together
};

struct Schedule {
  int parallel_runs = 1, threads_per_run = 1;
  std::string how;  // "measured", "from the config", ...
  std::vector<ScheduleCandidate> measured;
};

// `emlab`: the executable to start measurement processes with ("emlab sweep-worker --measure").
Schedule choose_schedule(const SweepConfig& config, const std::vector<RunSpec>& runs, int cores,
                         const std::string& emlab, double seconds_each = 1.5);

// One measurement process: trains `config` for about `seconds`, returns tokens per second.
double measure_run_throughput(const train::TrainConfig& config, double seconds);

}  // namespace emlab::sweep
