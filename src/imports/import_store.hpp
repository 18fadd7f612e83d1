#pragma once
// Writes imported evaluations into a results database, beside (and in the same tables as) our
// own runs: a model is a run (status completed, code version "imported"), a checkpoint its
// evaluated step, a score a metric row that names its source file. A file is imported once: its
// SHA-256 is recorded, and the same bytes imported again change nothing.
#include <string>

#include "imports/imported_data.hpp"
#include "store/database.hpp"

namespace emlab::imports {

struct ImportSummary {
  bool already_imported = false;
  std::string previous_path;  // where the same bytes were imported from before
  int models = 0, checkpoints = 0, scores = 0, examples = 0;
  int skipped = 0;  // models left out for want of a parameter count (--skip-incomplete)
};

// All or nothing, in one transaction. `file`'s models must be complete (complete_model_facts)
// and have parameters. A file is imported once, unless it was imported with models incomplete
// (left out for want of a parameter count, or with tokens or FLOPs blank) and fewer are now:
// then the models left out are added and the blanks filled. A file whose every model was left
// out stores nothing, so that it can be imported once they are known.
// Throws emlab::Error naming the database and the run when a model's name is taken by one of our
// own runs, or when it is stored with a different size than this file gives.
ImportSummary store_import(store::Database& db, const ImportedFile& file, const std::string& sha256,
                           const std::string& family);

}  // namespace emlab::imports
