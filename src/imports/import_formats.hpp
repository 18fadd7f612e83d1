#pragma once
// Every format `emlab import` reads, in one table: its name, the files of a folder it takes, the
// flags of its own and its reader. The importer, the CLI's help and checks, and the fuzz targets'
// test (tests/imports/test_import_formats.cpp) all read this table, so a new format is one reader
// file plus one line in import_formats.cpp (and its fuzz target, fuzz/fuzz_import_<name>.cpp).
#include <string>
#include <vector>

#include "imports/import_options.hpp"
#include "imports/imported_data.hpp"

namespace emlab::imports {

struct ImportFormat {
  std::string name;          // as `emlab import NAME` takes it
  std::string folder_files;  // for a folder, the files to read: a shell pattern ("samples_*.jsonl")
  std::vector<std::string> flags;  // the flags it reads beyond --family and --meta
  // Reads one file; the models' facts are completed afterwards from metadata.
  ImportedFile (*read)(const std::string& path, const ImportOptions& options);
};

// In the order the CLI lists them.
const std::vector<ImportFormat>& import_format_table();

// Throws emlab::Error naming the formats when `name` is none of them.
const ImportFormat& find_import_format(const std::string& name);

}  // namespace emlab::imports
