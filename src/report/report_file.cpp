#include "report/report_file.hpp"

#include <fstream>

#include "core/error.hpp"
#include "report/page.hpp"
#include "report/report_builder.hpp"
#include "results/result_set.hpp"
#include "store/database.hpp"

namespace emlab::report {

namespace {
void write_atomically(const std::filesystem::path& path, const std::string& text) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  const std::filesystem::path partial = path.string() + ".partial";
  {
    std::ofstream file(partial, std::ios::binary);
    file << text;
    file.flush();
    require(file.good(), "cannot write {} (disk full?)", partial.string());
  }
  std::filesystem::rename(partial, path);
}
}  // namespace

WrittenReport write_report_file(const std::string& database, const std::filesystem::path& output,
                                const std::string& json_path) {
  store::Database db(database, store::Database::Mode::kReadOnly);
  const nlohmann::json report = build_report(results::load_results(db));
  const std::string page = render_page(report);
  write_atomically(output, page);
  if (!json_path.empty()) write_atomically(json_path, report.dump(1));
  return {std::filesystem::absolute(output), page.size(), report["sections"].size(),
          report["left_out"].get<std::vector<std::string>>()};
}

}  // namespace emlab::report
