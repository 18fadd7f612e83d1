#include "results/depth_summary.hpp"

#include <charconv>
#include <cmath>
#include <map>
#include <optional>

#include "analysis/seed_spread.hpp"
#include "probe/probe_registry.hpp"
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

std::vector<int> DepthSetting::ks() const {
  std::vector<int> out;
  if (from_probes())
    for (int k = 0; k <= max_hops; ++k) out.push_back(k);
  else
    for (const std::string& task : tasks) out.push_back(hop_k(task));
  return out;
}

namespace {

const store::ProbeScoreRow* find_probe(const CheckpointResults& c, const std::string& name) {
  for (const store::ProbeScoreRow& p : c.probes)
    if (p.probe == name && p.layer < 0 && p.head < 0) return &p;
  return nullptr;
}

// The accuracy on the setting's i-th k at a checkpoint; null when it was not measured.
std::optional<double> depth_accuracy(const CheckpointResults& c, const DepthSetting& setting,
                                     size_t i) {
  if (setting.from_probes()) {
    if (const auto* p = find_probe(c, probe::hop_accuracy_score(int(i)))) return p->value;
  } else if (const store::MetricRow* m = find_metric(c, setting.tasks[i], setting.metric)) {
    return m->value;
  }
  return std::nullopt;
}

}  // namespace

DepthSetting evaluated_depth_setting(const ResultSet& results) {
  DepthSetting setting;
  setting.max_hops = -1;
  for (const RunResults& run : results.runs)
    if (const CheckpointResults* last = run.last())
      while (find_probe(*last, probe::hop_accuracy_score(setting.max_hops + 1))) ++setting.max_hops;
  if (setting.max_hops >= 0) return setting;
  std::map<int, std::string> by_k;
  for (const std::string& task : evaluated_tasks(results))
    if (const int k = hop_k(task); k >= 1) by_k.emplace(k, task);
  for (const auto& [k, task] : by_k) {
    if (k != int(setting.tasks.size()) + 1) break;
    setting.tasks.push_back(task);
  }
  return setting;
}

std::vector<DepthRow> depth_staircase(const ResultSet& results, const DepthSetting& setting) {
  const std::vector<int> ks = setting.ks();
  // layers -> k column -> the final values of the completed runs of that depth.
  std::map<int, std::vector<std::vector<double>>> cells;
  for (const RunResults& run : results.runs) {
    const CheckpointResults* last = run.last();
    if (!run.completed() || last == nullptr || run.row.imported) continue;
    auto& per_k = cells[run.shape().layers];
    per_k.resize(ks.size());
    for (size_t i = 0; i < ks.size(); ++i)
      if (const auto value = depth_accuracy(*last, setting, i)) per_k[i].push_back(*value);
  }
  std::vector<DepthRow> rows;
  for (const auto& [layers, per_k] : cells) {
    DepthRow row{layers, {}, {}, 0};
    bool solved_so_far = true;
    for (size_t i = 0; i < per_k.size(); ++i) {
      double mean = NAN;
      if (!per_k[i].empty()) {
        mean = 0;
        for (double v : per_k[i]) mean += v / double(per_k[i].size());
      }
      row.accuracy.push_back(mean);
      row.seeds.push_back(analysis::seed_mean_interval(per_k[i]));
      if (ks[i] < 1) continue;  // the k = 0 control
      solved_so_far = solved_so_far && std::isfinite(mean) && 1.0 - mean <= setting.max_error;
      if (solved_so_far) row.largest_k = ks[i];
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace emlab::results
