#include "imports/csv_record.hpp"

#include "core/error.hpp"

namespace emlab::imports {

std::vector<std::string> split_csv_record(const std::string& line, const std::string& source,
                                          int line_number) {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
    } else {
      field += c;
    }
  }
  require(!quoted, "{}:{}: unterminated quoted field", source, line_number);
  fields.push_back(std::move(field));
  return fields;
}

}  // namespace emlab::imports
