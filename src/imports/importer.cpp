#include "imports/importer.hpp"

#include <algorithm>
#include <filesystem>

#include "core/error.hpp"
#include "core/file_hash.hpp"
#include "imports/bigbench_results.hpp"
#include "imports/lm_eval_results.hpp"
#include "imports/lm_eval_samples.hpp"

namespace emlab::imports {

namespace fs = std::filesystem;

const std::vector<std::string>& import_formats() {
  static const std::vector<std::string> kFormats = {"lm-eval", "lm-eval-samples", "bigbench",
                                                    "wide", "csv"};
  return kFormats;
}

std::vector<std::string> expand_import_paths(const std::string& format, const std::string& path) {
  require(fs::exists(path), "{}: no such file or folder", path);
  if (!fs::is_directory(path)) return {path};
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(path)) {
    if (!entry.is_regular_file()) continue;
    const std::string name = entry.path().filename().string();
    const bool wanted = format == "lm-eval-samples"
                            ? name.starts_with("samples_") && name.ends_with(".jsonl")
                        : format == "wide" || format == "csv" ? name.ends_with(".csv")
                                                              : name.ends_with(".json");
    if (wanted) files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  require(!files.empty(), "{}: the folder holds no {} file", path, format);
  return files;
}

ImportedFile read_import(const std::string& path, const ImportOptions& options,
                         const ModelMetadata& metadata) {
  ImportedFile file;
  if (options.format == "lm-eval") {
    file = read_lm_eval_results(path, {options.model, options.family});
  } else if (options.format == "lm-eval-samples") {
    file = read_lm_eval_samples(
        path, {options.model, options.task, options.family, options.step, options.shots});
  } else if (options.format == "bigbench") {
    file = read_bigbench_results(path, options.family);
  } else if (options.format == "wide") {
    WideOptions wide = options.wide;
    wide.family = options.family;
    file = read_wide_table(path, wide);
  } else if (options.format == "csv") {
    file = read_long_table(path, options.family);
  } else {
    std::string list;
    for (const auto& f : import_formats()) list += (list.empty() ? "" : ", ") + f;
    fail("unknown import format '{}'; the formats are: {}", options.format, list);
  }
  for (ImportedCheckpoint& c : file.checkpoints) complete_model_facts(c.model, metadata, path);
  return file;
}

std::vector<FileResult> import_files(store::Database& db, const std::vector<std::string>& paths,
                                     const ImportOptions& options,
                                     const std::function<void(const FileResult&)>& report) {
  ModelMetadata metadata;
  for (const std::string& path : options.meta) metadata.merge(ModelMetadata::read_csv(path), path);
  // Every file is read and checked before anything is written, so a bad file in a list leaves
  // the database as it was.
  std::vector<ImportedFile> files;
  std::vector<std::string> hashes;
  for (const std::string& path : paths) {
    files.push_back(read_import(path, options, metadata));
    hashes.push_back(file_sha256(path));
  }
  std::vector<FileResult> results;
  for (size_t i = 0; i < files.size(); ++i) {
    FileResult r{paths[i], store_import(db, files[i], hashes[i], options.family), files[i].notes};
    if (report) report(r);
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace emlab::imports
