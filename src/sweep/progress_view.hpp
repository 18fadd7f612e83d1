#pragma once
// What a sweep shows while it runs and what `emlab status` prints: an overall bar (by planned
// compute, so a large run counts for more than a small one), counts of runs by state, and one line
// per running run with its step, loss, tokens/s and ETA.
#include <map>
#include <string>
#include <vector>

#include "core/timer.hpp"
#include "store/run_store.hpp"

namespace emlab::sweep {

struct SweepTally {
  int planned = 0, running = 0, completed = 0, failed = 0;
  double total_flops = 0, done_flops = 0;  // done: finished runs plus running ones pro rata
};

SweepTally tally(const std::vector<store::RunRow>& runs);

// `eta_seconds` < 0: unknown. Lines end with '\n'.
std::string progress_block(const std::vector<store::RunRow>& runs, double elapsed_seconds,
                           double eta_seconds);

// The table of `emlab status`: every run with its state, progress and reason for failure.
std::string status_table(const std::vector<store::RunRow>& runs, double now_unix);

// Prints a sweep's progress: on a terminal, the progress block redrawn in place; in a log, a line
// per run that starts or ends and the overall line every 30 s; quiet, only run ends.
class ProgressPrinter {
 public:
  explicit ProgressPrinter(bool quiet);
  void update(const std::vector<store::RunRow>& runs, double elapsed, double eta, bool final);

 private:
  void clear();
  void report(const store::RunRow& r);

  bool quiet_, tty_;
  int drawn_lines_ = 0;
  std::map<std::string, std::string> statuses_;
  Timer since_line_;
};

}  // namespace emlab::sweep
