#pragma once
// How a sweep uses one machine's cores: runs in parallel x threads per run. Chosen by measuring,
// for each split of the cores, the tokens per second of the sweep's most expensive run trained by
// that many concurrent processes, and keeping the split whose predicted wall time (the runs dealt
// longest first to the parallel slots at the measured speed) is shortest: with few runs, one long
// run left alone at the end can make fewer, wider runs the faster choice.
#include <string>
#include <vector>

#include "sweep/sweep_config.hpp"

namespace emlab::sweep {

struct ScheduleCandidate {
  int parallel_runs = 1, threads_per_run = 1;
  double tokens_per_second = 0;  // all concurrent processes together
  double predicted_seconds = 0;  // the sweep's wall time at that speed
};

struct Schedule {
  int parallel_runs = 1, threads_per_run = 1;
  std::string how;  // "measured", "from the config", ...
  std::vector<ScheduleCandidate> measured;
};

// `emlab`: the executable to start measurement processes with ("emlab sweep-worker --measure").
// `cpus`: the CPU ids the sweep may use; split p of a schedule runs on cpus[p·t, (p+1)·t).
Schedule choose_schedule(const SweepConfig& config, const std::vector<RunSpec>& runs,
                         const std::vector<int>& cpus, const std::string& emlab,
                         double seconds_each = 1.5);

// The CPUs of slot `slot` when each run has `threads` of them.
std::vector<int> slot_cpus(const std::vector<int>& cpus, int slot, int threads);

// The finishing time of jobs of the given costs dealt longest first, each to the least-loaded of
// `slots` (in cost units).
double longest_first_makespan(std::vector<double> costs, int slots);

// One measurement process: trains `config` for about `seconds`, returns tokens per second.
double measure_run_throughput(const train::TrainConfig& config, double seconds);

}  // namespace emlab::sweep
