#include "imports/table_imports.hpp"

#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include "core/error.hpp"
#include "imports/column_pattern.hpp"
#include "imports/csv_record.hpp"
#include "imports/long_csv.hpp"
#include "imports/metric_naming.hpp"

namespace emlab::imports {

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string csv_cell(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::optional<double> number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  size_t used = 0;
  try {
    const double v = std::stod(text, &used);
    if (used == text.size() && std::isfinite(v)) return v;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

std::vector<std::vector<std::string>> read_records(const std::string& path) {
  std::ifstream in(path);
  require(static_cast<bool>(in), "{}: cannot open the file", path);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      rows.emplace_back();  // keeps line numbers: row i is line i + 1
      continue;
    }
    rows.push_back(split_csv_record(line, path, line_number));
  }
  require(!rows.empty() && !rows.front().empty(), "{}: empty file (expected a header row)", path);
  return rows;
}

}  // namespace

ImportedFile read_long_table(const std::string& path, const std::string& family) {
  // The header is mapped onto the documented columns: `tokens...` is tokens, `num_fewshot` or
  // `shots` the number of shots (folded into the task name), `source_path` is skipped.
  const auto records = read_records(path);
  const auto& header = records.front();
  int shots_column = -1;
  std::vector<int> kept;
  std::string rewritten;
  for (size_t c = 0; c < header.size(); ++c) {
    std::string name = header[c];
    if (name == "num_fewshot" || name == "shots") {
      shots_column = int(c);
      continue;
    }
    if (name == "source_path") continue;
    if (name.starts_with("tokens")) name = "tokens";
    if (!kept.empty()) rewritten += ',';
    kept.push_back(int(c));
    rewritten += csv_cell(name);
  }
  std::vector<int> shots_of_line(records.size() + 1, 0);
  std::stringstream csv;
  csv << rewritten << '\n';
  for (size_t r = 1; r < records.size(); ++r) {
    const auto& fields = records[r];
    std::string row;
    if (!fields.empty()) {
      require(fields.size() == header.size(), "{}:{}: expected {} fields as in the header, got {}",
              path, r + 1, header.size(), fields.size());
      for (size_t k = 0; k < kept.size(); ++k) {
        if (k > 0) row += ',';
        row += csv_cell(fields[size_t(kept[k])]);
      }
      if (shots_column >= 0 && !fields[size_t(shots_column)].empty()) {
        const auto s = number(fields[size_t(shots_column)]);
        require(s && *s >= 0 && *s <= 1000 && *s == std::floor(*s),
                "{}:{}: column '{}': expected a whole number of shots (0 to 1000), got '{}'", path,
                r + 1, header[size_t(shots_column)], fields[size_t(shots_column)]);
        shots_of_line[r + 1] = int(*s);
      }
    }
    csv << row << '\n';
  }
  const analysis::MeasurementTable table =
      parse_measurements_csv(csv, path, {.sizes_may_be_blank = true});

  ImportedFile out;
  out.format = "csv";
  out.path = path;
  std::map<std::pair<std::string, int64_t>, size_t> index;  // (model, step) → checkpoint
  std::map<std::string, double> most_tokens;
  for (const analysis::Measurement& m : table.rows) {
    require(!(m.step > kMaxCount) && !(m.n > kMaxCount),
            "{}:{}: a step or example count above {:.0e} is not plausible", path, m.line,
            kMaxCount);
    const int64_t step = std::isfinite(m.step) ? int64_t(m.step) : -1;
    auto [it, added] = index.try_emplace({m.model, step}, out.checkpoints.size());
    if (added) {
      ImportedCheckpoint c;
      c.model.name = c.model.source = m.model;
      c.model.family = family;
      c.model.step = step;
      c.model.params = m.params;
      c.model.non_embedding_params = m.non_embedding_params;
      c.model.checkpoint_tokens = m.tokens;
      out.checkpoints.push_back(std::move(c));
    }
    ImportedCheckpoint& c = out.checkpoints[it->second];
    if (std::isfinite(m.tokens))
      most_tokens[m.model] =
          std::max(most_tokens.count(m.model) ? most_tokens[m.model] : 0.0, m.tokens);
    if (m.is_loss_row()) {
      c.validation_loss = m.loss;
      continue;
    }
    if (!std::isfinite(m.value)) continue;
    Score s;
    s.task = stored_task_name(m.task, shots_of_line[size_t(m.line)]);
    s.metric = m.metric;
    s.value = m.value;
    s.standard_error = m.stderr_value;
    s.n = std::isfinite(m.n) ? int64_t(m.n) : 0;
    s.continuous = !is_zero_one_metric(m.metric);
    if (!s.continuous && (m.metric == "acc" || m.metric == "acc_norm"))
      s.chance = known_chance_accuracy(m.task);
    c.scores.push_back(std::move(s));
  }
  for (ImportedCheckpoint& c : out.checkpoints)
    if (most_tokens.count(c.model.name) && most_tokens[c.model.name] > 0)
      c.model.tokens = most_tokens[c.model.name];
  require(!out.checkpoints.empty(), "{}: no rows", path);
  return out;
}

double parse_unit(const std::string& text, const std::string& flag) {
  const std::string t = lower(text);
  if (t == "k" || t == "thousand" || t == "thousands") return 1e3;
  if (t == "m" || t == "million" || t == "millions") return 1e6;
  if (t == "b" || t == "billion" || t == "billions") return 1e9;
  if (t == "t" || t == "trillion" || t == "trillions") return 1e12;
  const auto v = number(text);
  require(v && *v > 0,
          "{}: expected a unit: a positive number (1e21) or k, M, B, T (thousand, million, "
          "billion, trillion), got '{}'",
          flag, text);
  return *v;
}

ImportedFile read_wide_table(const std::string& path, const WideOptions& options) {
  const auto records = read_records(path);
  const auto& header = records.front();
  const auto find_column = [&](const std::string& name, const std::string& flag) -> int {
    for (size_t c = 0; c < header.size(); ++c)
      if (header[c] == name) return int(c);
    std::string names;
    for (const auto& h : header) names += (names.empty() ? "" : ", ") + h;
    fail("{}: no column '{}' (named by {}); the columns are: {}", path, name, flag, names);
  };
  const auto named = [&](const std::string& name) {
    int found = -1;
    for (size_t c = 0; c < header.size(); ++c)
      if (lower(header[c]) == name) found = int(c);
    return found;
  };
  const int model_column = options.model_column.empty()
                               ? named("model")
                               : find_column(options.model_column, "--model-column");
  require(model_column >= 0,
          "{}: no column named 'model' (in any letter case); name the model column with "
          "--model-column",
          path);
  const int family_column = options.family_column.empty()
                                ? named("family")
                                : find_column(options.family_column, "--family-column");
  const std::optional<ColumnPattern> pattern =
      options.columns.empty()
          ? std::nullopt
          : std::optional<ColumnPattern>(std::in_place, options.columns, "--columns");
  struct Size {
    int column = -1;
    double unit = 1;
  };
  const auto size_column = [&](const SizeColumn& s, const std::string& flag) {
    return s.column.empty() ? Size{} : Size{find_column(s.column, flag), s.unit};
  };
  const Size params = size_column(options.params, "--params-column");
  const Size non_embedding = size_column(options.non_embedding_params, "--non-embedding-column");
  const Size tokens = size_column(options.tokens, "--tokens-column");
  const Size flops = size_column(options.flops, "--flops-column");
  const Size step = size_column(options.step, "--step-column");
  for (const auto& [column, task_metric] : options.split) find_column(column, "--split");

  std::set<int> special = {model_column,  family_column, params.column, non_embedding.column,
                           tokens.column, flops.column,  step.column};
  // A score column is one whose every non-empty cell is a number. An unnamed one (a row index,
  // as pandas writes it) names no task.
  std::vector<int> score_columns;
  std::vector<std::string> skipped, unnamed;
  for (size_t c = 0; c < header.size(); ++c) {
    if (special.contains(int(c))) continue;
    if (header[c].empty()) {
      unnamed.push_back(fmt::format("column {}", c + 1));
      continue;
    }
    bool numeric = true, any = false;
    for (size_t r = 1; r < records.size(); ++r) {
      if (records[r].empty() || c >= records[r].size() || records[r][c].empty()) continue;
      any = true;
      numeric = numeric && number(records[r][c]).has_value();
    }
    if (numeric && any)
      score_columns.push_back(int(c));
    else
      skipped.push_back(header[c]);
  }
  ImportedFile out;
  out.format = "wide";
  out.path = path;
  if (!skipped.empty())
    out.notes.push_back(
        fmt::format("{}: columns without numbers skipped: {}", path, fmt::join(skipped, ", ")));
  if (!unnamed.empty())
    out.notes.push_back(
        fmt::format("{}: unnamed columns skipped: {}", path, fmt::join(unnamed, ", ")));
  require(!score_columns.empty(), "{}: no numeric score column besides the model and sizes", path);
  // How each score column reads: --split first, then the --columns pattern, else its whole name.
  std::map<int, ColumnName> reading;
  std::vector<std::string> unmatched;
  for (int column : score_columns) {
    const std::string& name = header[size_t(column)];
    ColumnName r{name, 0, "score"};
    if (const auto it = options.split.find(name); it != options.split.end()) {
      r.task = it->second.first;
      r.metric = it->second.second;
    } else if (pattern) {
      if (const auto read = pattern->read(name))
        r = *read;
      else
        unmatched.push_back(name);
    }
    reading[column] = r;
  }
  if (!unmatched.empty())
    out.notes.push_back(fmt::format(
        "{}: columns that do not read as --columns '{}', imported with the column name as the "
        "task and metric 'score': {}",
        path, options.columns, fmt::join(unmatched, ", ")));
  std::set<std::string> seen;
  for (size_t r = 1; r < records.size(); ++r) {
    const auto& fields = records[r];
    if (fields.empty()) continue;
    const std::string where = fmt::format("{}:{}", path, r + 1);
    require(fields.size() == header.size(), "{}: expected {} fields as in the header, got {}",
            where, header.size(), fields.size());
    ImportedCheckpoint c;
    c.model.name = c.model.source = fields[size_t(model_column)];
    require(!c.model.name.empty(), "{}: empty model name", where);
    require(seen.insert(c.model.name).second, "{}: model '{}' appears twice", where, c.model.name);
    c.model.family = family_column >= 0 && !fields[size_t(family_column)].empty()
                         ? fields[size_t(family_column)]
                         : options.family;
    const auto size = [&](const Size& s) {
      if (s.column < 0 || fields[size_t(s.column)].empty()) return kUnknown;
      const auto v = number(fields[size_t(s.column)]);
      require(v && *v >= 0, "{}: column '{}': expected a non-negative number, got '{}'", where,
              header[size_t(s.column)], fields[size_t(s.column)]);
      return *v * s.unit;
    };
    c.model.params = size(params);
    c.model.non_embedding_params = size(non_embedding);
    c.model.tokens = size(tokens);
    c.model.flops = size(flops);
    if (const double s = size(step); std::isfinite(s)) {
      require(s <= kMaxCount, "{}: column '{}': {} is not a plausible step", where,
              header[size_t(step.column)], s);
      c.model.step = int64_t(s);
    }
    for (int column : score_columns) {
      const auto v = number(fields[size_t(column)]);
      if (!v) continue;
      Score s;
      const ColumnName& name = reading.at(column);
      s.task = stored_task_name(name.task, name.shots);
      s.metric = name.metric;
      s.value = *v;
      s.continuous = !is_zero_one_metric(s.metric);
      if (!s.continuous && (s.metric == "acc" || s.metric == "acc_norm"))
        s.chance = known_chance_accuracy(name.task);
      c.scores.push_back(std::move(s));
    }
    out.checkpoints.push_back(std::move(c));
  }
  require(!out.checkpoints.empty(), "{}: no model rows", path);
  return out;
}

}  // namespace emlab::imports
