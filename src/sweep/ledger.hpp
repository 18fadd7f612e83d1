#pragma once
// Where a worker gets its runs and sends its results. On one machine that is the database itself
// (DatabaseLedger); under MPI it is rank 0, which owns the database (sweep/mpi_sweep).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "store/run_store.hpp"
#include "sweep/sweep_config.hpp"

namespace emlab::sweep {

struct Assignment {
  int64_t run_id = 0;
  RunSpec spec;
  std::vector<int64_t> steps_done;  // checkpoints already stored for this run
};

// A ledger that cannot record (the database is full, locked, gone): the sweep must stop, since
// nothing more can be stored. Distinct from a run's own failure, which is recorded.
class LedgerFailure : public Error {
 public:
  using Error::Error;
};

// Implementations throw store::RunLost when the run is no longer this worker's, and LedgerFailure
// for any other failure to record.
class Ledger {
 public:
  virtual ~Ledger() = default;
  virtual std::optional<Assignment> claim() = 0;
  virtual void progress(int64_t run_id, int64_t step, double loss, double tokens_per_second,
                        double eta_seconds) = 0;
  virtual void checkpoint(int64_t run_id, const store::CheckpointWrite& write) = 0;
  virtual void finish(int64_t run_id, bool completed, const std::string& reason, double final_loss,
                      const store::RunTimes& times) = 0;
  virtual void release(int64_t run_id, const store::RunTimes& times) = 0;
};

// The database as a ledger, for a worker named `worker` ("host:pid").
class DatabaseLedger final : public Ledger {
 public:
  DatabaseLedger(store::Database& db, std::string worker);
  std::optional<Assignment> claim() override;
  void progress(int64_t run_id, int64_t step, double loss, double tokens_per_second,
                double eta_seconds) override;
  void checkpoint(int64_t run_id, const store::CheckpointWrite& write) override;
  void finish(int64_t run_id, bool completed, const std::string& reason, double final_loss,
              const store::RunTimes& times) override;
  void release(int64_t run_id, const store::RunTimes& times) override;

 private:
  store::RunStore store_;
  std::string worker_;
};

// A run's plan as stored in the database, and back.
store::PlannedRun to_planned_run(const RunSpec& run);
RunSpec run_spec_from_stored(const store::PlannedRun& stored);

// The name this process goes by in the database: "host:pid".
std::string worker_name();

}  // namespace emlab::sweep
