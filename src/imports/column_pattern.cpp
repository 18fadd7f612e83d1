#include "imports/column_pattern.hpp"

#include <algorithm>
#include <cctype>
#include <functional>

#include "core/error.hpp"
#include "imports/metric_naming.hpp"

namespace emlab::imports {

ColumnPattern::ColumnPattern(const std::string& pattern, const std::string& flag) {
  std::vector<std::string> seen;
  for (size_t i = 0; i < pattern.size();) {
    const size_t open = pattern.find('{', i);
    if (open == std::string::npos) {
      parts_.push_back({false, pattern.substr(i)});
      break;
    }
    if (open > i) parts_.push_back({false, pattern.substr(i, open - i)});
    const size_t close = pattern.find('}', open);
    require(close != std::string::npos, "{} '{}': a '{{' without its '}}'", flag, pattern);
    const std::string name = pattern.substr(open + 1, close - open - 1);
    require(name == "task" || name == "shots" || name == "metric",
            "{} '{}': unknown placeholder '{{{}}}'; the placeholders are {{task}}, {{shots}} and "
            "{{metric}}",
            flag, pattern, name);
    require(std::find(seen.begin(), seen.end(), name) == seen.end(),
            "{} '{}': '{{{}}}' is given twice", flag, pattern, name);
    // Two fields side by side could split anywhere: text must stand between them.
    require(parts_.empty() || !parts_.back().field,
            "{} '{}': '{{{}}}' follows another placeholder with no text between them", flag,
            pattern, name);
    seen.push_back(name);
    parts_.push_back({true, name});
    i = close + 1;
  }
  require(std::find(seen.begin(), seen.end(), "task") != seen.end(),
          "{} '{}': the pattern needs a {{task}} (e.g. '{{task}}_{{shots}}shot_{{metric}}')", flag,
          pattern);
}

std::optional<ColumnName> ColumnPattern::read(const std::string& column) const {
  // Every way the name splits (names are short and patterns have at most three fields).
  std::vector<ColumnName> readings;
  ColumnName current;
  const std::function<void(size_t, size_t)> match = [&](size_t part, size_t at) {
    if (part == parts_.size()) {
      if (at == column.size()) readings.push_back(current);
      return;
    }
    const Part& p = parts_[part];
    if (!p.field) {
      if (column.compare(at, p.text.size(), p.text) == 0) match(part + 1, at + p.text.size());
      return;
    }
    for (size_t end = at + 1; end <= column.size(); ++end) {
      const std::string value = column.substr(at, end - at);
      if (p.text == "shots") {
        if (!std::isdigit(static_cast<unsigned char>(value.back())) || value.size() > 4) break;
        current.shots = std::stoi(value);
      } else if (p.text == "task") {
        current.task = value;
      } else {
        current.metric = value;
      }
      match(part + 1, end);
    }
  };
  match(0, 0);
  if (readings.empty()) return std::nullopt;
  const auto better = [](const ColumnName& a, const ColumnName& b) {
    const bool a_known = is_known_metric_name(a.metric), b_known = is_known_metric_name(b.metric);
    if (a_known != b_known) return a_known;
    return a.task.size() > b.task.size();
  };
  return *std::min_element(readings.begin(), readings.end(), better);
}

}  // namespace emlab::imports
