#pragma once
// Typed reads and writes of a study's runs: planning, claiming a run for a worker, live progress,
// one transaction per evaluated checkpoint, and the run's end. A worker's writes name it, and are
// refused once the run is no longer its own (a sweep restarted after a crash hands the run to
// someone else), so a stale worker can never write into a run it lost.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "store/database.hpp"

namespace emlab::store {

// One number a probe measured on one checkpoint: for a head (layer, head), a layer (head = -1)
// or the whole model (both -1), with the seed of the batch it was measured on.
struct ProbeScoreRow {
  std::string probe;  // e.g. "induction", "icl_score"
  int layer = -1;
  int head = -1;
  double value = 0.0;
  uint64_t seed = 0;
  bool operator==(const ProbeScoreRow&) const = default;
};

// What the sweep plans for a run; written once, compared on every later start.
struct PlannedRun {
  std::string name;
  std::string config_json;    // the run's training config
  std::string schedule_json;  // checkpoint steps and evaluation settings
  uint64_t seed = 0;
  int64_t parameters = 0;
  int64_t non_embedding_parameters = 0;
  int64_t steps = 0;
  int64_t tokens = 0;
  double flops = 0;
};

struct RunRow {
  int64_t id = 0;
  PlannedRun plan;
  std::string code_version, machine_json;
  std::string status;  // planned | running | completed | failed
  std::string reason;  // why a run failed
  std::string worker;  // "host:pid" of the process running it (or that last ran it)
  int64_t attempts = 0;
  int64_t progress_step = 0;
  double progress_loss = 0, tokens_per_second = 0, eta_seconds = 0;
  double heartbeat = 0;  // unix time of the last progress report
  double train_seconds = 0, eval_seconds = 0, write_seconds = 0;
  double final_loss =
      0;  // training loss (mean of the last 20 steps) at the end; NaN unless completed
  int64_t checkpoints_done = 0;
  double last_validation_loss = 0;  // at the latest stored checkpoint; NaN when none
  std::string family;               // model family of an imported run; '' for our own runs
  bool imported = false;  // an evaluation stored by `emlab import`, not a run trained here
  // False where an imported table left the run's training tokens or FLOPs blank: plan.tokens and
  // plan.flops then hold 0, which is no count.
  bool tokens_known = true, flops_known = true;
};

struct CheckpointRow {
  int64_t step = 0;
  int64_t tokens = 0;
  double flops = 0;
  double train_loss = 0;       // NaN when unknown
  double validation_loss = 0;  // NaN when not measured
  // False for a checkpoint of an imported run whose tokens (FLOPs) are unknown, where no step
  // count gave them: `tokens` (`flops`) then holds 0, which is no count.
  bool tokens_known = true, flops_known = true;
};

struct MetricRow {
  std::string task, metric;
  double value = 0, lower = 0, upper = 0, standard_error = 0;  // NaN where undefined
  int64_t n = 0;
  double chance = 0;       // NaN where there is none
  bool continuous = true;  // false: a 0/1 (or tie-fraction) outcome per example
};

struct ExampleRow {
  std::string task;
  int64_t example = 0;
  std::string record_json;
};

// Everything one evaluated checkpoint adds, written all together or not at all.
struct CheckpointWrite {
  CheckpointRow checkpoint;
  std::vector<std::pair<int64_t, double>> step_losses;  // (step, loss) since the last checkpoint
  std::vector<ExampleRow> examples;
  std::vector<MetricRow> metrics;
  std::vector<ProbeScoreRow> probes;
};

// Time one attempt of a run spent in each part, added to the run's totals.
struct RunTimes {
  double train_seconds = 0, eval_seconds = 0, write_seconds = 0;
};

// Thrown when a worker writes into a run it no longer holds.
class RunLost : public Error {
 public:
  using Error::Error;
};

class RunStore {
 public:
  explicit RunStore(Database& db) : db_(db) {}

  // Inserts the run as planned, or checks that a run of that name already stored has the same
  // config and schedule (throws emlab::Error naming the run and what differs). Returns true when
  // inserted.
  bool add_planned_run(const PlannedRun& run);
  // Runs left 'running' by a process that is gone go back to 'planned'; returns how many.
  int reset_interrupted_runs();
  int reset_failed_runs();

  // Marks the first planned run as running for `worker` and returns it; nullopt when none is left.
  std::optional<RunRow> claim_next_run(const std::string& worker, const std::string& code_version,
                                       const std::string& machine_json);
  void update_progress(int64_t run_id, const std::string& worker, int64_t step, double loss,
                       double tokens_per_second, double eta_seconds);
  void write_checkpoint(int64_t run_id, const std::string& worker, const CheckpointWrite& write);
  // completed (final_loss) or failed (reason).
  void finish_run(int64_t run_id, const std::string& worker, bool completed,
                  const std::string& reason, double final_loss, const RunTimes& times);
  // Back to planned (an interrupted worker that saved its place).
  void release_run(int64_t run_id, const std::string& worker, const RunTimes& times);
  // The coordinator's verdict on a run whose worker died while running it.
  void fail_runs_of_worker(const std::string& worker, const std::string& reason);

  std::vector<RunRow> runs();
  std::optional<RunRow> run(int64_t run_id);
  std::vector<int64_t> checkpoint_steps(int64_t run_id);
  std::vector<CheckpointRow> checkpoints(int64_t run_id);
  std::vector<MetricRow> metrics(int64_t run_id, int64_t step);
  std::vector<ProbeScoreRow> probe_scores(int64_t run_id, int64_t step);
  std::vector<std::pair<int64_t, double>> step_losses(int64_t run_id);

  void set_meta(const std::string& key, const std::string& value);
  std::optional<std::string> meta(const std::string& key);

  // Per task, the mean answer length in tokens (the records' "target"), over the records of the
  // first checkpoint that evaluated it: every checkpoint of a sweep evaluates the same examples.
  // Tasks whose records carry no target (multiple choice) are absent.
  std::map<std::string, double> mean_answer_tokens();

  // Per imported run (by id), the files its scores were imported from (import_sources.path), in
  // the order they were imported. Our own runs are absent.
  std::map<int64_t, std::vector<std::string>> import_source_paths();

 private:
  void require_owner(int64_t run_id, const std::string& worker);

  Database& db_;
};

}  // namespace emlab::store
