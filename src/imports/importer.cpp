#include "imports/importer.hpp"

#include <fnmatch.h>

#include <algorithm>
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

ImportedFile read_import(const std::string& path, const ImportOptions& options,
                         const ModelMetadata& metadata) {
  ImportedFile file = find_import_format(options.format).read(path, options);
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
