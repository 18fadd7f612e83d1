#include "imports/long_csv.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <charconv>
#include <cmath>
#include <fstream>
#include <istream>
#include <ostream>

#include "core/error.hpp"
#include "imports/csv_record.hpp"

namespace emlab::imports {

using analysis::kMissing;
using analysis::Measurement;
using analysis::MeasurementTable;

namespace {

enum Column {
  kModel,
  kParams,
  kNonEmbedding,
  kTokens,
  kFlops,
  kStep,
  kLoss,
  kTask,
  kMetric,
  kValue,
  kStderr,
  kN,
  kColumnCount
};

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  const auto last = s.find_last_not_of(" \t");
  return s.substr(first, last - first + 1);
}

// Where a cell sits, so every message names file, line and column.
struct CellPlace {
  const std::string& source;
  int line;
  const std::string& column;
  int column_number;  // 1-based
};

std::string where(const CellPlace& p) {
  return fmt::format("{}:{}: column '{}' (column {})", p.source, p.line, p.column, p.column_number);
}

// Blank -> kMissing; anything that is not a whole finite number is an error.
double parse_number(const std::string& cell, const CellPlace& place) {
  const std::string text = trim(cell);
  if (text.empty()) return kMissing;
  double value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (*begin == '+') ++begin;  // from_chars rejects a leading '+', which spreadsheets write
  const auto [ptr, ec] = std::from_chars(begin, end, value);
  require(ec == std::errc() && ptr == end && std::isfinite(value),
          "{}: expected a finite number, got '{}'", where(place), text);
  return value;
}

void require_positive(double value, const CellPlace& place, const char* what) {
  require(std::isnan(value) || value > 0, "{}: expected a positive {}, got {}", where(place), what,
          value);
}

}  // namespace

MeasurementTable parse_measurements_csv(std::istream& in, const std::string& source,
                                        const CsvRules& rules) {
  const auto& names = analysis::measurement_columns();
  MeasurementTable table{source, {}};
  std::vector<int> column_of_field;  // field index -> Column
  std::vector<int> field_of_column(kColumnCount, -1);
  std::string line;
  int line_number = 0;
  bool have_header = false;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (trim(line).empty() || line[0] == '#') continue;  // blank lines and comments
    auto fields = split_csv_record(line, source, line_number);

    if (!have_header) {
      have_header = true;
      for (size_t f = 0; f < fields.size(); ++f) {
        const std::string name = trim(fields[f]);
        int column = -1;
        for (int c = 0; c < kColumnCount; ++c)
          if (names[static_cast<size_t>(c)] == name) column = c;
        require(column >= 0,
                "{}:{}: unknown column '{}' (column {}); the columns are: {} (see "
                "docs/csv-format.md)",
                source, line_number, name, f + 1, fmt::join(names, ", "));
        require(field_of_column[static_cast<size_t>(column)] < 0,
                "{}:{}: column '{}' appears twice (columns {} and {})", source, line_number, name,
                field_of_column[static_cast<size_t>(column)] + 1, f + 1);
        field_of_column[static_cast<size_t>(column)] = static_cast<int>(f);
        column_of_field.push_back(column);
      }
      for (int required : {kModel, kParams, kTokens})
        require((rules.sizes_may_be_blank && required != kModel) ||
                    field_of_column[static_cast<size_t>(required)] >= 0,
                "{}:{}: missing required column '{}' in the header", source, line_number,
                names[static_cast<size_t>(required)]);
      continue;
    }

    require(fields.size() == column_of_field.size(),
            "{}:{}: expected {} fields as in the header, got {}", source, line_number,
            column_of_field.size(), fields.size());
    Measurement m;
    m.line = line_number;
    auto cell = [&](int column) -> std::string {
      const int f = field_of_column[static_cast<size_t>(column)];
      return f < 0 ? std::string() : trim(fields[static_cast<size_t>(f)]);
    };
    auto place = [&](int column) {
      return CellPlace{source, line_number, names[static_cast<size_t>(column)],
                       field_of_column[static_cast<size_t>(column)] + 1};
    };
    auto number = [&](int column) { return parse_number(cell(column), place(column)); };

    m.model = cell(kModel);
    require(!m.model.empty(), "{}: expected a model name, got a blank cell", where(place(kModel)));
    m.params = number(kParams);
    require(rules.sizes_may_be_blank || !std::isnan(m.params),
            "{}: expected a parameter count, got a blank cell", where(place(kParams)));
    require_positive(m.params, place(kParams), "parameter count");
    m.non_embedding_params = number(kNonEmbedding);
    require_positive(m.non_embedding_params, place(kNonEmbedding), "parameter count");
    m.tokens = number(kTokens);
    require(rules.sizes_may_be_blank || !std::isnan(m.tokens),
            "{}: expected a token count, got a blank cell", where(place(kTokens)));
    if (!(rules.sizes_may_be_blank && m.tokens == 0))
      require_positive(m.tokens, place(kTokens), "token count");
    m.flops = number(kFlops);
    require_positive(m.flops, place(kFlops), "FLOP count");
    if (std::isnan(m.flops)) m.flops = 6.0 * m.params * m.tokens;  // C ≈ 6·N·D (Kaplan et al.)
    m.step = number(kStep);
    require(std::isnan(m.step) || m.step >= 0, "{}: expected a step >= 0, got {}",
            where(place(kStep)), m.step);
    m.loss = number(kLoss);
    require_positive(m.loss, place(kLoss), "loss");
    m.task = cell(kTask);
    m.metric = cell(kMetric);
    m.value = number(kValue);
    m.stderr_value = number(kStderr);
    require(std::isnan(m.stderr_value) || m.stderr_value >= 0,
            "{}: expected a standard error >= 0, got {}", where(place(kStderr)), m.stderr_value);
    m.n = number(kN);
    require(std::isnan(m.n) || (m.n >= 1 && m.n == std::floor(m.n)),
            "{}: expected a whole number of examples >= 1, got {}", where(place(kN)), m.n);

    if (m.task.empty()) {
      require(std::isnan(m.loss) == false,
              "{}:{}: a loss row (blank 'task') needs a value in column 'loss'", source,
              line_number);
      require(m.metric.empty() && std::isnan(m.value),
              "{}:{}: 'metric' and 'value' are set but 'task' is blank", source, line_number);
    } else {
      require(!m.metric.empty(), "{}: task '{}' needs a metric name, got a blank cell",
              where(place(kMetric)), m.task);
      require(!std::isnan(m.value), "{}: task '{}' needs a value, got a blank cell",
              where(place(kValue)), m.task);
    }
    table.rows.push_back(std::move(m));
  }
  require(have_header, "{}: empty file, expected a header line with columns {}", source,
          fmt::join(names, ", "));
  return table;
}

MeasurementTable read_measurements_csv(const std::string& path) {
  std::ifstream in(path);
  require(in.good(), "{}: cannot open file", path);
  return parse_measurements_csv(in, path);
}

void write_measurements_csv(const MeasurementTable& table, std::ostream& out) {
  out << fmt::format("{}\n", fmt::join(analysis::measurement_columns(), ","));
  auto num = [](double v) { return std::isnan(v) ? std::string() : fmt::format("{}", v); };
  auto text = [](const std::string& s) {
    if (s.find_first_of(",\"") == std::string::npos) return s;
    std::string quoted = "\"";
    for (char c : s) quoted += (c == '"') ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
  };
  for (const auto& m : table.rows) {
    out << fmt::format("{},{},{},{},{},{},{},{},{},{},{},{}\n", text(m.model), num(m.params),
                       num(m.non_embedding_params), num(m.tokens), num(m.flops), num(m.step),
                       num(m.loss), text(m.task), text(m.metric), num(m.value), num(m.stderr_value),
                       num(m.n));
  }
}

}  // namespace emlab::imports
