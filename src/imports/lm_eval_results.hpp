#pragma once
// lm-evaluation-harness results files: the 0.4.x format (`results_<date>.json`: metric keys
// "<metric>,<filter>", stderr beside them, possibly "N/A"; `groups`, `n-shot`, `n-samples`;
// `config.model_args` a string or an object) and the pre-0.4 format (`results` of bare metric
// names, `config.num_fewshot`, `model_args` a string; the step read from `revision=stepN`).
#include <string>

#include "imports/imported_data.hpp"

namespace emlab::imports {

struct LmEvalOptions {
  std::string model;   // overrides the model named in the file (required when it names none)
  std::string family;  // family of the model, when the file or metadata does not give one
};

// One checkpoint (the file's model), model facts as the file gives them (not yet completed from
// metadata). Throws emlab::Error naming the file and the field for anything malformed.
ImportedFile read_lm_eval_results(const std::string& path, const LmEvalOptions& options = {});

// "pretrained=EleutherAI/pythia-160m,revision=step3000" (or the same as a JSON object) → the
// model id and the step (−1 without a revision "stepN").
struct ModelArgs {
  std::string pretrained;
  int64_t step = -1;
};
ModelArgs parse_model_args(const std::string& text);

// The run name of a model id: its last path component ("EleutherAI/pythia-160m" → "pythia-160m").
std::string model_short_name(const std::string& id);

}  // namespace emlab::imports
