#pragma once
// `emlab import`: reads files of one format, completes each model's facts from the file, the
// sidecar metadata or the Pythia facts, and stores them file by file (each all or nothing).
#include <functional>
#include <string>
#include <vector>

#include "imports/import_options.hpp"
#include "imports/import_store.hpp"
#include "imports/model_metadata.hpp"

namespace emlab::imports {

// The names of import_format_table(), in its order.
const std::vector<std::string>& import_formats();

// The files a path stands for: itself, or for a folder the files of it that match the format's
// folder_files pattern, sorted. Throws emlab::Error when there are none.
std::vector<std::string> expand_import_paths(const std::string& format, const std::string& path);

// Reads one file and completes its models' facts. Throws emlab::Error naming the file.
ImportedFile read_import(const std::string& path, const ImportOptions& options,
                         const ModelMetadata& metadata);

struct FileResult {
  std::string path;
  ImportSummary summary;
  std::vector<std::string> notes;
};

// Imports every file into `db`; `report` is called after each file.
std::vector<FileResult> import_files(store::Database& db, const std::vector<std::string>& paths,
                                     const ImportOptions& options,
                                     const std::function<void(const FileResult&)>& report = {});

}  // namespace emlab::imports
