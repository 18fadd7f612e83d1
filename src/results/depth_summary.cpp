#include "results/depth_summary.hpp"

#include <charconv>
#include <cmath>
#include <map>

#include "results/scale_points.hpp"

namespace emlab::results {

int hop_k(const std::string& task) {
  // Parsed by hand: std::regex trips GCC 12's -Wmaybe-uninitialized inside <regex> at -O1.
  if (!task.starts_with("hop(") || !task.ends_with(")")) return -1;
  for (size_t i = 4; i < task.size(); ++i) {
    if (task[i] != 'k' || (task[i - 1] != '(' && task[i - 1] != ',' && task[i - 1] != ' '))
      continue;
    size_t at = task.find_first_not_of(' ', i + 1);
    if (at == std::string::npos || task[at] != '=') continue;
    at = task.find_first_not_of(' ', at + 1);
    int k = -1;
    const char* end = task.data() + task.size();
    const auto [stop, error] = std::from_chars(task.data() + at, end, k);
    if (error == std::errc() && (*stop == ',' || *stop == ')' || *stop == ' ')) return k;
  }
  return -1;
}

DepthSetting evaluated_depth_setting(const ResultSet& results) {
  std::map<int, std::string> by_k;
  for (const std::string& task : evaluated_tasks(results))
    if (const int k = hop_k(task); k >= 1) by_k.emplace(k, task);
  DepthSetting setting;
  for (const auto& [k, task] : by_k) {
    if (k != int(setting.tasks.size()) + 1) break;
    setting.tasks.push_back(task);
  }
  return setting;
}

std::vector<DepthRow> depth_staircase(const ResultSet& results, const DepthSetting& setting) {
  // layers -> task -> the final values of the completed runs of that depth.
  std::map<int, std::vector<std::vector<double>>> cells;
  for (const RunResults& run : results.runs) {
    const CheckpointResults* last = run.last();
    if (!run.completed() || last == nullptr || run.row.imported) continue;
    auto& per_task = cells[run.shape().layers];
    per_task.resize(setting.tasks.size());
    for (size_t i = 0; i < setting.tasks.size(); ++i)
      if (const store::MetricRow* m = find_metric(*last, setting.tasks[i], setting.metric))
        per_task[i].push_back(m->value);
  }
  std::vector<DepthRow> rows;
  for (const auto& [layers, per_task] : cells) {
    DepthRow row{layers, {}, 0};
    bool solved_so_far = true;
    for (size_t i = 0; i < per_task.size(); ++i) {
      double mean = NAN;
      if (!per_task[i].empty()) {
        mean = 0;
        for (double v : per_task[i]) mean += v / double(per_task[i].size());
      }
      row.accuracy.push_back(mean);
      solved_so_far = solved_so_far && std::isfinite(mean) && 1.0 - mean <= setting.max_error;
      if (solved_so_far) row.largest_k = int(i) + 1;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace emlab::results
