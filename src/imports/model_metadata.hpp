#pragma once
// Where a model's size and training come from when its evaluation file does not say: a sidecar
// CSV given with --meta, or the published facts of the Pythia suite, which ship with emlab.
#include <map>
#include <optional>
#include <string>

#include "imports/imported_data.hpp"

namespace emlab::imports {

// A sidecar CSV: a `model` column and any of family, params, non_embedding_params, tokens,
// flops, step, tokens_per_step, in plain units (parameters, tokens, FLOPs), one row per model.
class ModelMetadata {
 public:
  ModelMetadata() = default;
  // Throws emlab::Error naming the file, line and column of a malformed cell or unknown column.
  static ModelMetadata read_csv(const std::string& path);
  // Adds another sidecar's rows; a model both name is an error naming `path`.
  void merge(const ModelMetadata& other, const std::string& path);

  // The row whose `model` is the name or the source id exactly, if any.
  const ModelFacts* find(const ModelFacts& model) const;
  // tokens_per_step of that row (NaN when absent).
  double tokens_per_step(const ModelFacts& model) const;
  bool empty() const { return rows_.empty(); }

 private:
  std::map<std::string, ModelFacts> rows_;
  std::map<std::string, double> tokens_per_step_;
};

// The Pythia suite (Biderman et al. 2023, "Pythia: A Suite for Analyzing Large Language Models
// Across Training and Scaling", arXiv:2304.01373, Table 1 and §2): recognises "pythia-410m",
// "pythia-v1.1-410m", "EleutherAI/pythia-410m-deduped", "pythia-1b-bf16"... and gives total and
// non-embedding parameters, 2,097,152 tokens per step (1,024 sequences of 2,048 tokens) and
// 143,000 steps. nullopt for any other name.
struct PythiaModel {
  std::string size;  // "410m"
  bool deduplicated = false;
  std::string name;  // one name for all spellings: "pythia-410m", "pythia-1b-bf16-deduped"
  double params = 0, non_embedding_params = 0;
};
std::optional<PythiaModel> recognise_pythia(const std::string& name);
inline constexpr double kPythiaTokensPerStep = 2'097'152;
inline constexpr double kPythiaSteps = 143'000;

// Fills what the file left unknown, from the sidecar first, then from the Pythia facts (and
// gives a Pythia model its one name, so the same model from two files is one run); derives
// checkpoint tokens from the step where the tokens per step are known, and FLOPs as 6·N·D where
// both are known. Training tokens and FLOPs may stay unknown (NaN): real tables have holes, and
// the analyses that need them skip such a model and say so.
void complete_model_facts(ModelFacts& model, const ModelMetadata& metadata);

// The parameter count is the one fact no analysis does without (every x axis starts from it).
bool has_parameters(const ModelFacts& model);
// Throws emlab::Error naming `where` (the file), the model and what would supply its parameter
// count (a --meta row, or --skip-incomplete to import the other models without it).
[[noreturn]] void fail_without_parameters(const ModelFacts& model, const std::string& where);

}  // namespace emlab::imports
