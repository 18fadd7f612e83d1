#pragma once
// What `emlab import` was told beside the files: the format, the family and metadata every
// format uses, and the options only some formats read (import_formats.hpp says which).
#include <cstdint>
#include <string>
#include <vector>

#include "imports/table_imports.hpp"

namespace emlab::imports {

struct ImportOptions {
  std::string format;  // a name of import_formats(): lm-eval, lm-eval-samples, bigbench, wide, csv
  std::string family;  // default family of the models (the file's or the metadata's wins)
  std::vector<std::string> meta;  // sidecar CSVs of model facts
  std::string model;              // lm-eval / samples: the model, when the file does not name it
  std::string task;               // samples: the task, when the file name does not give it
  int64_t step = -1;              // samples: the checkpoint's step
  int shots = 0;                  // samples: the number of shots
  // Models without a parameter count are left out (and named) instead of stopping the import.
  bool skip_incomplete = false;
  WideOptions wide;
};

}  // namespace emlab::imports
