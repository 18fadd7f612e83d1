#pragma once
// What the fuzz targets of `emlab import`'s formats share: the input as a file read the way the
// CLI reads it, through the format's reader in the table of formats and the completion of each
// model's facts (here from no metadata), so each target fuzzes exactly what the command runs.
#include <filesystem>

#include "fuzz_input.hpp"
#include "imports/import_formats.hpp"
#include "imports/importer.hpp"

namespace emlab::fuzz {

inline int import_file(const uint8_t* data, size_t size, const imports::ImportOptions& options) {
  // The file takes the extension of the files the format reads from a folder ("*.json").
  const std::string& pattern = imports::find_import_format(options.format).folder_files;
  const size_t dot = pattern.rfind('.');
  const auto path = as_file(data, size, dot == std::string::npos ? "" : &pattern[dot]);
  const int r = expect_clear_errors([&] { imports::read_import(path.string(), options, {}); });
  std::filesystem::remove(path);
  return r;
}

}  // namespace emlab::fuzz
