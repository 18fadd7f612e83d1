#include "results/capability_scores.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "core/error.hpp"
#include "eval/task_summary.hpp"
#include "results/scale_points.hpp"

namespace emlab::results {
namespace {

// The metrics of each task scored at a final checkpoint.
std::map<std::string, std::vector<std::string>> metrics_by_task(const ResultSet& results) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [task, metric] : final_task_metrics(results)) out[task].push_back(metric);
  return out;
}

TaskChoice choice(const std::map<std::string, std::vector<std::string>>& metrics,
                  const std::string& task, const std::string& metric) {
  return {task, metric, metrics.at(task).size() == 1 ? task : task + ":" + metric};
}

}  // namespace

std::vector<TaskChoice> choose_tasks(const ResultSet& results,
                                     const std::vector<std::string>& names) {
  const auto metrics = metrics_by_task(results);
  std::vector<std::string> known;
  for (const auto& [task, ms] : metrics)
    for (const std::string& m : ms) known.push_back(ms.size() == 1 ? task : task + ":" + m);
  std::vector<TaskChoice> out;
  for (const std::string& name : names) {
    const size_t colon = name.rfind(':');
    const std::string task = colon == std::string::npos ? name : name.substr(0, colon);
    const auto it = metrics.find(task);
    require(it != metrics.end(), "{}: no task '{}' has final scores; it has: {}", results.database,
            task, fmt::join(known, ", "));
    std::string metric;
    if (colon != std::string::npos) {
      metric = name.substr(colon + 1);
      require(std::find(it->second.begin(), it->second.end(), metric) != it->second.end(),
              "{}: task '{}' has no metric '{}'; it has: {}", results.database, task, metric,
              fmt::join(it->second, ", "));
    } else {
      require(it->second.size() == 1,
              "{}: task '{}' is scored under {} metrics ({}): name one as '{}:METRIC'",
              results.database, task, it->second.size(), fmt::join(it->second, ", "), task);
      metric = it->second.front();
    }
    const TaskChoice c = choice(metrics, task, metric);
    require(std::none_of(out.begin(), out.end(),
                         [&](const TaskChoice& o) { return o.task == task && o.metric == metric; }),
            "task '{}' is named twice", c.label);
    out.push_back(c);
  }
  return out;
}

std::vector<TaskChoice> other_tasks(const ResultSet& results,
                                    const std::vector<TaskChoice>& taken) {
  const auto metrics = metrics_by_task(results);
  std::vector<TaskChoice> out;
  for (const auto& [task, metric] : final_task_metrics(results)) {
    const std::string& name = task;  // clang 14 cannot capture structured bindings
    const std::string& measure = metric;
    if (std::any_of(taken.begin(), taken.end(),
                    [&](const TaskChoice& t) { return t.task == name && t.metric == measure; }))
      continue;
    if (!eval::metric_higher_is_better(metric)) continue;
    const auto points = final_points(results, task, metric);
    if (std::all_of(points.begin(), points.end(),
                    [](const ScalePoint& p) { return p.value >= 0 && p.value <= 1; }))
      out.push_back(choice(metrics, task, metric));
  }
  return out;
}

analysis::CapabilityTable capability_table(const ResultSet& results,
                                           const std::vector<TaskChoice>& capability,
                                           const std::vector<TaskChoice>& targets) {
  analysis::CapabilityTable table;
  for (const TaskChoice& c : capability) table.capability_tasks.push_back(c.label);
  for (const TaskChoice& c : targets) table.target_tasks.push_back(c.label);
  table.target_chance.assign(targets.size(), NAN);
  const auto score = [](const store::MetricRow* m) { return m == nullptr ? NAN : m->value; };
  for (const RunResults& run : results.runs) {
    const CheckpointResults* last = run.last();
    if (!run.completed() || last == nullptr) continue;
    analysis::CapabilityModel m;
    m.name = run.row.plan.name;
    m.family = run.row.family;
    m.flops = last->row.flops_known ? last->row.flops : NAN;
    for (const TaskChoice& c : capability)
      m.capability.push_back(score(find_metric(*last, c.task, c.metric)));
    for (size_t t = 0; t < targets.size(); ++t) {
      const store::MetricRow* row = find_metric(*last, targets[t].task, targets[t].metric);
      m.targets.push_back(score(row));
      if (row != nullptr && std::isnan(table.target_chance[t]) && std::isfinite(row->chance))
        table.target_chance[t] = row->chance;
    }
    table.models.push_back(std::move(m));
  }
  return table;
}

}  // namespace emlab::results
