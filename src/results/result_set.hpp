#pragma once
// A results database read into memory: every run with its checkpoints, their metrics and probe
// scores, the per-step training losses, and the verdicts of the studies run on it. Report
// sections and study kinds both read this one view, so a chart and a verdict come from the same
// numbers.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "results/architecture.hpp"
#include "store/database.hpp"
#include "store/run_store.hpp"
#include "store/verdict_store.hpp"

namespace emlab::results {

struct CheckpointResults {
  store::CheckpointRow row;
  std::vector<store::MetricRow> metrics;
  std::vector<store::ProbeScoreRow> probes;  // what probes measured here (a sweep's [probes])
};

struct RunResults {
  store::RunRow row;
  std::vector<CheckpointResults> checkpoints;  // by step
  std::vector<std::pair<int64_t, double>> step_losses;
  // The model's shape as its stored config gives it; unset for imported evaluations and for
  // configs without one (architecture_error says why).
  std::optional<Architecture> architecture;
  std::string architecture_error;
  std::vector<std::string> sources;  // an imported run's source files (import_sources.path)

  bool completed() const { return row.status == "completed"; }
  // The last stored checkpoint, or null.
  const CheckpointResults* last() const {
    return checkpoints.empty() ? nullptr : &checkpoints.back();
  }
  // The architecture; throws emlab::Error naming the run when its config does not give one.
  const Architecture& shape() const;
};

struct ResultSet {
  std::string database;  // the file it came from
  std::string name;      // the sweep's name, when stored
  std::vector<RunResults> runs;
  std::map<std::string, double> answer_tokens;  // per task, mean answer length (generation tasks)
  std::vector<store::VerdictRow> verdicts;      // of the studies run on this database
};

ResultSet load_results(store::Database& db);

// Whether the results are imported evaluations only (emlab import): real models of other
// families, cross-sectional, where our own sweeps are runs of one recipe. False when empty.
bool every_run_imported(const ResultSet& results);

// The runs whose names start with "prefix-" (every run when prefix is empty): one arm of a study.
ResultSet select_arm(const ResultSet& results, const std::string& prefix);

}  // namespace emlab::results
