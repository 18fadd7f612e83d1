#pragma once
// A study database read into memory for the report: every run with its checkpoints, their
// metrics, and the per-step training losses.
#include <map>
#include <string>
#include <vector>

#include "analysis/scaling_data.hpp"
#include "store/database.hpp"
#include "store/run_store.hpp"
#include "store/verdict_store.hpp"

namespace emlab::report {

struct StudyCheckpoint {
  store::CheckpointRow row;
  std::vector<store::MetricRow> metrics;
  std::vector<probe::ProbeScore> probes;  // what probes measured here (a sweep's [probes])
};

struct StudyRun {
  store::RunRow row;
  std::vector<StudyCheckpoint> checkpoints;  // by step
  std::vector<std::pair<int64_t, double>> step_losses;
  bool completed() const { return row.status == "completed"; }
  // The last stored checkpoint, or null.
  const StudyCheckpoint* last() const {
    return checkpoints.empty() ? nullptr : &checkpoints.back();
  }
};

struct Study {
  std::string database;  // the file it came from
  std::string name;      // the sweep's name, when stored
  std::vector<StudyRun> runs;
  std::map<std::string, double> answer_tokens;  // per task, mean answer length (generation tasks)
  std::vector<store::VerdictRow> verdicts;      // of the studies run on this database
};

Study load_study(store::Database& db);

// The final checkpoint of every completed run with a measured validation loss and positive N and
// D, as the scaling-law fits take it.
std::vector<analysis::LossPoint> final_loss_points(const Study& study);

}  // namespace emlab::report
