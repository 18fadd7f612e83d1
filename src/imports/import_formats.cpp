#include "imports/import_formats.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/error.hpp"
#include "imports/bigbench_results.hpp"
#include "imports/lm_eval_results.hpp"
#include "imports/lm_eval_samples.hpp"
#include "imports/table_imports.hpp"

namespace emlab::imports {

namespace {

// The readers of the first formats keep their own option structs (their tests and fuzz targets
// call them directly); these hand them the part of ImportOptions each one reads.
ImportedFile read_lm_eval(const std::string& path, const ImportOptions& o) {
  return read_lm_eval_results(path, {o.model, o.family});
}

ImportedFile read_samples(const std::string& path, const ImportOptions& o) {
  return read_lm_eval_samples(path, {o.model, o.task, o.family, o.step, o.shots});
}

ImportedFile read_bigbench(const std::string& path, const ImportOptions& o) {
  return read_bigbench_results(path, o.family);
}

ImportedFile read_wide(const std::string& path, const ImportOptions& o) {
  WideOptions wide = o.wide;
  wide.family = o.family;
  return read_wide_table(path, wide);
}

ImportedFile read_long(const std::string& path, const ImportOptions& o) {
  return read_long_table(path, o.family);
}

}  // namespace

const std::vector<ImportFormat>& import_format_table() {
  static const std::vector<ImportFormat> formats = {
      {"lm-eval", "*.json", {"--model"}, read_lm_eval},
      {"lm-eval-samples",
       "samples_*.jsonl",
       {"--model", "--task", "--step", "--shots"},
       read_samples},
      {"bigbench", "*.json", {}, read_bigbench},
      {"wide",
       "*.csv",
       {"--model-column", "--family-column", "--params-column", "--params-unit",
        "--non-embedding-column", "--non-embedding-unit", "--tokens-column", "--tokens-unit",
        "--flops-column", "--flops-unit", "--step-column", "--split", "--columns"},
       read_wide},
      {"csv", "*.csv", {}, read_long},
  };
  return formats;
}

const ImportFormat& find_import_format(const std::string& name) {
  std::vector<std::string> names;
  for (const ImportFormat& f : import_format_table()) {
    if (f.name == name) return f;
    names.push_back(f.name);
  }
  fail("unknown import format '{}'; the formats are: {}", name, fmt::join(names, ", "));
}

}  // namespace emlab::imports
