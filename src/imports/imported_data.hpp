#pragma once
// What every importer produces from a file of someone else's evaluations: the models (with what
// the file says of their size and training), and per model checkpoint the scores, in our task and
// metric names. The import store writes it into the same tables as our own runs.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "store/run_store.hpp"

namespace emlab::imports {

inline constexpr double kUnknown = std::numeric_limits<double>::quiet_NaN();
// The largest step or example count a file may give: far beyond any real run, and small enough
// that converting it to an integer is exact and defined.
inline constexpr double kMaxCount = 1e15;

// A model as a file names it; sizes NaN (and step −1) where the file does not say.
struct ModelFacts {
  std::string name;    // the run's name: a Hugging Face id's last part ("pythia-410m")
  std::string source;  // the id as the file gives it ("EleutherAI/pythia-v1.1-410m")
  std::string family;
  double params = kUnknown;                // all parameters, embeddings included
  double non_embedding_params = kUnknown;  // Kaplan's N
  double tokens = kUnknown;                // training tokens of the whole run
  double checkpoint_tokens = kUnknown;     // tokens seen by this checkpoint (= tokens at the end)
  double flops = kUnknown;                 // training compute of the whole run; 6·N·D if unknown
  int64_t step = -1;                       // the checkpoint's training step; −1: the final model
};

struct Score {
  std::string task, metric;  // ours: "arc_easy" or "arc_easy_5shot", "acc", "acc_norm"...
  double value = kUnknown;
  double standard_error = kUnknown;
  int64_t n = 0;  // examples behind the value; 0 when the file does not say
  double chance = kUnknown;
  bool continuous = true;
};

struct ImportedCheckpoint {
  ModelFacts model;
  double validation_loss = kUnknown;
  std::vector<Score> scores;
  std::vector<store::ExampleRow> examples;  // per-example records (lm-eval-samples)
};

// One file's contents.
struct ImportedFile {
  std::string format;  // lm-eval, lm-eval-samples, bigbench, wide, csv
  std::string path;
  std::vector<ImportedCheckpoint> checkpoints;
  std::vector<std::string> notes;  // what was skipped and why, printed by the CLI
  // Models left out for want of a parameter count (--skip-incomplete), in the file's order.
  std::vector<std::string> skipped_models;
};

}  // namespace emlab::imports
