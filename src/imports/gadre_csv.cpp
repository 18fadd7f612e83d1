#include "imports/gadre_csv.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <map>

#include "core/error.hpp"
#include "imports/csv_record.hpp"

namespace emlab::imports {

using analysis::Measurement;
using analysis::MeasurementTable;

namespace {

struct WideCsv {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<int> lines;
};

WideCsv read_wide_csv(const std::string& path) {
  std::ifstream in(path);
  require(in.good(), "{}: cannot open file", path);
  WideCsv csv;
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    auto fields = split_csv_record(line, path, line_number);
    if (csv.header.empty()) {
      csv.header = std::move(fields);
      continue;
    }
    require(fields.size() == csv.header.size(),
            "{}:{}: expected {} fields as in the header, got {}", path, line_number,
            csv.header.size(), fields.size());
    csv.rows.push_back(std::move(fields));
    csv.lines.push_back(line_number);
  }
  require(!csv.header.empty(), "{}: empty file", path);
  return csv;
}

size_t column_index(const WideCsv& csv, const std::string& name, const std::string& path) {
  for (size_t i = 0; i < csv.header.size(); ++i)
    if (csv.header[i] == name) return i;
  fail("{}:1: missing column '{}'", path, name);
}

double positive_number(const WideCsv& csv, size_t row, size_t column, const std::string& path) {
  const std::string& text = csv.rows[row][column];
  double value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  require(
      ec == std::errc() && ptr == text.data() + text.size() && std::isfinite(value) && value > 0,
      "{}:{}: column '{}' (column {}): expected a positive number, got '{}'", path, csv.lines[row],
      csv.header[column], column + 1, text);
  return value;
}

}  // namespace

MeasurementTable read_gadre_scaling_csv(const std::string& scaling_path,
                                        const std::string& loss_column) {
  const WideCsv csv = read_wide_csv(scaling_path);
  const size_t name = column_index(csv, "name", scaling_path);
  const size_t params = column_index(csv, "params", scaling_path);
  const size_t non_embedding = column_index(csv, "params_no_embed", scaling_path);
  const size_t tokens = column_index(csv, "tokens", scaling_path);
  const size_t loss = column_index(csv, loss_column, scaling_path);
  MeasurementTable table{scaling_path, {}};
  for (size_t r = 0; r < csv.rows.size(); ++r) {
    Measurement m;
    m.model = csv.rows[r][name];
    m.params = positive_number(csv, r, params, scaling_path);
    m.non_embedding_params = positive_number(csv, r, non_embedding, scaling_path);
    m.tokens = positive_number(csv, r, tokens, scaling_path);
    m.flops = 6.0 * m.params * m.tokens;
    m.loss = positive_number(csv, r, loss, scaling_path);
    m.line = csv.lines[r];
    table.rows.push_back(std::move(m));
  }
  return table;
}

void add_gadre_downstream_csv(const std::string& downstream_path, MeasurementTable& table) {
  const WideCsv csv = read_wide_csv(downstream_path);
  const size_t name = column_index(csv, "name", downstream_path);
  std::map<std::string, Measurement> model_rows;
  for (const auto& m : table.rows)
    if (m.is_loss_row()) model_rows.emplace(m.model, m);
  for (size_t r = 0; r < csv.rows.size(); ++r) {
    const auto found = model_rows.find(csv.rows[r][name]);
    require(found != model_rows.end(), "{}:{}: model '{}' is not in the scaling table {}",
            downstream_path, csv.lines[r], csv.rows[r][name], table.source);
    for (size_t c = 0; c < csv.header.size(); ++c) {
      if (c == name) continue;
      Measurement m = found->second;
      m.task = csv.header[c];
      m.metric = "score";
      const std::string& text = csv.rows[r][c];
      const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), m.value);
      require(ec == std::errc() && ptr == text.data() + text.size() && std::isfinite(m.value),
              "{}:{}: column '{}' (column {}): expected a number, got '{}'", downstream_path,
              csv.lines[r], csv.header[c], c + 1, text);
      m.line = csv.lines[r];
      table.rows.push_back(std::move(m));
    }
  }
}

}  // namespace emlab::imports
