#pragma once
// Tables of scores: the long format (docs/csv-format.md, one measurement per row; also the
// flattened Pythia evaluations, whose `tokens_seen(...)` and `num_fewshot` columns are read as
// tokens and shots) and the wide format (one row per model, one column per task or metric, as
// leaderboards and papers publish them).
#include <map>
#include <string>
#include <vector>

#include "imports/imported_data.hpp"

namespace emlab::imports {

// Long format. Rows are grouped into checkpoints by (model, step); a loss row's loss becomes the
// checkpoint's validation loss. A model's training tokens are the most its rows have seen.
ImportedFile read_long_table(const std::string& path, const std::string& family = "");

// A column of sizes in the wide table and what one unit of it is worth ("Params (B)" and 1e9).
struct SizeColumn {
  std::string column;
  double unit = 1;
};

struct WideOptions {
  std::string model_column;   // default: the column named "model" in any letter case
  std::string family_column;  // default: the column named "family" in any letter case, if any
  SizeColumn params, non_embedding_params, tokens, flops, step;
  std::map<std::string, std::pair<std::string, std::string>> split;  // column → (task, metric)
  // How a score column's name reads, e.g. "{task}_{shots}shot_{metric}" (column_pattern.hpp).
  std::string columns;
  std::string family;  // of every model whose row names none
};

// A unit as a flag gives it: a number (1e9), or one of k/thousand, M/million, B/billion,
// T/trillion. Throws emlab::Error naming the flag otherwise.
double parse_unit(const std::string& text, const std::string& flag);

// Every numeric column other than the model and size columns is one task × metric: "task"
// with metric "score", unless `split` maps it or its name matches the `columns` pattern (columns
// that do not match keep their whole name as the task, and are named in the notes). Non-numeric
// and unnamed columns are skipped and named in the notes. A blank size cell is unknown.
ImportedFile read_wide_table(const std::string& path, const WideOptions& options);

}  // namespace emlab::imports
