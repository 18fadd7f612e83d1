#include "results/scale_points.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "eval/task_summary.hpp"

namespace emlab::results {

std::vector<int64_t> budgets(const ResultSet& results) {
  std::set<int64_t> out;
  for (const RunResults& run : results.runs)
    if (run.completed() && run.row.tokens_known) out.insert(run.row.plan.tokens);
  return {out.begin(), out.end()};
}

int64_t largest_budget(const ResultSet& results) {
  const auto all = budgets(results);
  return all.empty() ? 0 : all.back();
}

const store::MetricRow* find_metric(const CheckpointResults& checkpoint, const std::string& task,
                                    const std::string& metric) {
  for (const store::MetricRow& m : checkpoint.metrics)
    if (m.task == task && m.metric == metric && std::isfinite(m.value)) return &m;
  return nullptr;
}

std::vector<ScalePoint> final_points(const ResultSet& results, const std::string& task,
                                     const std::string& metric) {
  std::vector<ScalePoint> out;
  for (const RunResults& run : results.runs) {
    const CheckpointResults* last = run.last();
    if (!run.completed() || last == nullptr) continue;
    const store::MetricRow* m = find_metric(*last, task, metric);
    if (m == nullptr) continue;
    out.push_back({double(run.row.plan.parameters),
                   last->row.tokens_known ? double(last->row.tokens) : NAN,
                   last->row.flops_known ? last->row.flops : NAN, m->value, m->standard_error,
                   double(m->n), 1, run.row.plan.name, run.row.family});
  }
  return out;
}

std::vector<ScalePoint> final_curve(const ResultSet& results, const std::string& task,
                                    const std::string& metric, int64_t tokens) {
  if (tokens == 0) tokens = largest_budget(results);
  std::map<double, std::vector<const RunResults*>> by_size;
  for (const RunResults& run : results.runs)
    if (run.completed() && run.row.tokens_known && run.row.plan.tokens == tokens)
      by_size[double(run.row.plan.parameters)].push_back(&run);
  std::vector<ScalePoint> out;
  for (const auto& [params, runs] : by_size) {
    ScalePoint p;
    p.params = params;
    double value = 0, variance = 0;
    for (const RunResults* run : runs) {
      const store::MetricRow* m = find_metric(*run->last(), task, metric);
      if (m == nullptr) continue;
      value += m->value;
      variance += m->standard_error * m->standard_error;
      p.n += double(m->n);
      p.tokens = double(run->last()->row.tokens);
      p.flops = run->last()->row.flops;
      ++p.runs;
    }
    if (p.runs == 0) continue;
    p.value = value / double(p.runs);
    p.standard_error = std::sqrt(variance) / double(p.runs);  // NaN when any is unknown
    out.push_back(p);
  }
  return out;
}

std::vector<double> values(const std::vector<ScalePoint>& points) {
  std::vector<double> v;
  for (const ScalePoint& p : points) v.push_back(p.value);
  return v;
}

std::vector<double> improvement(const std::vector<ScalePoint>& points, const std::string& metric) {
  std::vector<double> v = values(points);
  if (!eval::metric_higher_is_better(metric))
    for (double& x : v) x = -x;
  return v;
}

std::vector<std::string> evaluated_tasks(const ResultSet& results) {
  std::set<std::string> tasks;
  for (const RunResults& run : results.runs)
    for (const CheckpointResults& c : run.checkpoints)
      for (const store::MetricRow& m : c.metrics) tasks.insert(m.task);
  return {tasks.begin(), tasks.end()};
}

std::vector<std::pair<std::string, std::string>> final_task_metrics(const ResultSet& results) {
  std::set<std::pair<std::string, std::string>> pairs;
  for (const RunResults& run : results.runs)
    if (run.completed() && run.last() != nullptr)
      for (const store::MetricRow& m : run.last()->metrics)
        if (std::isfinite(m.value)) pairs.insert({m.task, m.metric});
  return {pairs.begin(), pairs.end()};
}

}  // namespace emlab::results
