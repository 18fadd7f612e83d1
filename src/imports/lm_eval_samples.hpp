#pragma once
// lm-evaluation-harness per-sample logs (`samples_<task>_<date>.jsonl`, written with
// --log_samples), re-scored from what the model produced: for multiple choice, from the
// log-likelihood of every choice (accuracy, length-normalised accuracy, the probability of the
// right choice, Brier score: our own metric code); for generation, exact match and token edit
// distance of the filtered response against the target (tokens: whitespace-separated words).
// Each document becomes an example record in the same table as our own evaluations.
#include <string>

#include "imports/imported_data.hpp"

namespace emlab::imports {

struct SamplesOptions {
  std::string model;  // the model's id; default: the file's folder ("EleutherAI__pythia-160m")
  std::string task;   // default: from the file name samples_<task>_<date>.jsonl
  std::string family;
  int64_t step = -1;  // the checkpoint's step, when known
  int shots = 0;
};

// Throws emlab::Error naming the file, line and field for anything malformed.
ImportedFile read_lm_eval_samples(const std::string& path, const SamplesOptions& options = {});

}  // namespace emlab::imports
