#pragma once
// `emlab report` and `emlab sweep --report`: a study database to one HTML file on disk.
#include <filesystem>
#include <string>
#include <vector>

namespace emlab::report {

struct WrittenReport {
  std::filesystem::path path;  // absolute
  size_t bytes = 0;
  size_t sections = 0;
  std::vector<std::string> left_out;  // the report's "left_out" notes
};

// Reads the database (read-only), builds the report and writes it atomically (a browser that has
// the file open never sees half a page). json_path, when not empty, gets the report's data too.
WrittenReport write_report_file(const std::string& database, const std::filesystem::path& output,
                                const std::string& json_path = "");

}  // namespace emlab::report
