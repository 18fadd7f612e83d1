#pragma once
// Carries out one run of a sweep: trains to each checkpoint step, evaluates the checkpoint on
// every task, and sends the results to the ledger, one checkpoint at a time. The run's weights
// are saved (resume.safetensors) after each checkpoint's results are stored and every
// resume_every_seconds of training in between, so after a crash the run continues from its last
// save and no stored result is computed twice.
#include <atomic>
#include <filesystem>

#include "sweep/ledger.hpp"

namespace emlab::sweep {

struct ExecutorOptions {
  std::filesystem::path runs_dir;           // one folder per run for its weights
  bool keep_checkpoints = false;            // keep every evaluated checkpoint's weights
  double resume_every_seconds = 30;         // also save the weights this often between them
  const std::atomic<bool>* stop = nullptr;  // set: pause at the next step, resumable
};

enum class RunOutcome { kCompleted, kFailed, kPaused, kLost };

// Throws emlab::Error only for failures of the ledger (e.g. the database); the run's own failures
// (divergence, an invalid task for the model) are recorded as a failed run.
RunOutcome execute_run(const Assignment& assignment, Ledger& ledger,
                       const ExecutorOptions& options);

// Where the sweep keeps run weights for a database: "study.sqlite" -> "study-runs/".
std::filesystem::path runs_dir_for(const std::filesystem::path& database);

}  // namespace emlab::sweep
