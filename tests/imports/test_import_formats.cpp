// The table of import formats: every format the CLI offers is found, reads a folder by its
// pattern, and is fuzzed (fuzz/fuzz_import_<format>.cpp, which fuzz/CMakeLists.txt and
// scripts/fuzz.sh pick up by their names).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "imports/import_formats.hpp"
#include "imports/importer.hpp"
#include "support/error_message.hpp"

namespace emlab::imports {
namespace {

namespace fs = std::filesystem;

// "lm-eval-samples" -> fuzz/fuzz_import_lm_eval_samples.cpp
fs::path fuzz_target_of(std::string format) {
  std::replace(format.begin(), format.end(), '-', '_');
  return fs::path(EMLAB_SOURCE_DIR) / "fuzz" / ("fuzz_import_" + format + ".cpp");
}

TEST(ImportFormats, EveryFormatHasAFuzzTargetAndEveryImportFuzzTargetAFormat) {
  std::set<fs::path> expected;
  for (const ImportFormat& f : import_format_table()) {
    expected.insert(fuzz_target_of(f.name));
    EXPECT_TRUE(fs::exists(fuzz_target_of(f.name)))
        << "format '" << f.name << "' has no fuzz target " << fuzz_target_of(f.name);
  }
  for (const auto& entry : fs::directory_iterator(fs::path(EMLAB_SOURCE_DIR) / "fuzz")) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("fuzz_import_") && name.ends_with(".cpp")) {
      EXPECT_EQ(expected.count(entry.path()), 1u) << name << " fuzzes no format of the table";
    }
  }
}

TEST(ImportFormats, NamesAreUniqueAndEveryFormatHasAReaderAndAFolderPattern) {
  std::set<std::string> names;
  for (const ImportFormat& f : import_format_table()) {
    EXPECT_TRUE(names.insert(f.name).second) << f.name;
    EXPECT_NE(f.read, nullptr) << f.name;
    EXPECT_FALSE(f.folder_files.empty()) << f.name;
  }
  for (const char* name : {"lm-eval", "lm-eval-samples", "bigbench", "wide", "csv"})
    EXPECT_NE(std::find(import_formats().begin(), import_formats().end(), name),
              import_formats().end())
        << name;
}

TEST(ImportFormats, AFolderStandsForTheFilesOfItsFormat) {
  const fs::path dir = fs::temp_directory_path() / "emlab_import_formats_folder";
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (const char* name : {"a.json", "b.csv", "samples_t_1.jsonl", "notes.txt", "results.jsonl"})
    std::ofstream(dir / name) << "x";
  auto names = [&](const std::string& format) {
    std::vector<std::string> out;
    for (const std::string& p : expand_import_paths(format, dir.string()))
      out.push_back(fs::path(p).filename().string());
    return out;
  };
  EXPECT_EQ(names("lm-eval"), std::vector<std::string>{"a.json"});
  EXPECT_EQ(names("bigbench"), std::vector<std::string>{"a.json"});
  EXPECT_EQ(names("lm-eval-samples"), std::vector<std::string>{"samples_t_1.jsonl"});
  EXPECT_EQ(names("wide"), std::vector<std::string>{"b.csv"});
  EXPECT_EQ(names("csv"), std::vector<std::string>{"b.csv"});
  EXPECT_NE(testing::error_message([&] { expand_import_paths("parquet", dir.string()); })
                .find("unknown import format 'parquet'; the formats are: lm-eval, "
                      "lm-eval-samples, bigbench, wide, csv"),
            std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace emlab::imports
