#include "imports/importer.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <fnmatch.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "core/error.hpp"
#include "core/file_hash.hpp"
#include "imports/import_formats.hpp"

namespace emlab::imports {

namespace fs = std::filesystem;

const std::vector<std::string>& import_formats() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const ImportFormat& f : import_format_table()) out.push_back(f.name);
    return out;
  }();
  return names;
}

std::vector<std::string> expand_import_paths(const std::string& format, const std::string& path) {
  require(fs::exists(path), "{}: no such file or folder", path);
  if (!fs::is_directory(path)) return {path};
  const std::string& pattern = find_import_format(format).folder_files;
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(path)) {
    if (!entry.is_regular_file()) continue;
    const std::string name = entry.path().filename().string();
    if (fnmatch(pattern.c_str(), name.c_str(), 0) == 0) files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  require(!files.empty(), "{}: the folder holds no {} file", path, format);
  return files;
}

namespace {

// Each model once, in the order the file gives them.
void add_once(std::vector<std::string>& names, const std::string& name) {
  if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
}

}  // namespace

ImportedFile read_import(const std::string& path, const ImportOptions& options,
                         const ModelMetadata& metadata) {
  ImportedFile file = find_import_format(options.format).read(path, options);
  std::vector<ImportedCheckpoint> kept;
  std::vector<std::string> no_tokens, no_tokens_nor_flops;
  for (ImportedCheckpoint& c : file.checkpoints) {
    complete_model_facts(c.model, metadata);
    if (!has_parameters(c.model)) {
      if (!options.skip_incomplete) fail_without_parameters(c.model, path);
      add_once(file.skipped_models, c.model.name);
      continue;
    }
    if (!std::isfinite(c.model.tokens))
      add_once(std::isfinite(c.model.flops) ? no_tokens : no_tokens_nor_flops, c.model.name);
    kept.push_back(std::move(c));
  }
  file.checkpoints = std::move(kept);
  // What the CLI prints, so that a hole in the table is seen at import and not first in a chart.
  if (!no_tokens_nor_flops.empty())
    file.notes.push_back(fmt::format(
        "{}: {} model(s) without training tokens or FLOPs, imported with them blank (analyses "
        "that need them leave these models out and say so; --meta can give them, and importing "
        "the file again then fills them in): {}",
        path, no_tokens_nor_flops.size(), fmt::join(no_tokens_nor_flops, ", ")));
  if (!no_tokens.empty())
    file.notes.push_back(fmt::format(
        "{}: {} model(s) without training tokens (their FLOPs are given), imported with tokens "
        "blank: {}",
        path, no_tokens.size(), fmt::join(no_tokens, ", ")));
  if (!file.skipped_models.empty())
    file.notes.push_back(fmt::format(
        "{}: skipped {} model(s) without a parameter count (--skip-incomplete): {}; give their "
        "parameters with --meta and import the file again to add them",
        path, file.skipped_models.size(), fmt::join(file.skipped_models, ", ")));
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
