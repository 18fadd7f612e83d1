#include "study/study_data.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/rng.hpp"
#include "eval/task_summary.hpp"
#include "tasks/factory.hpp"

namespace emlab::study {

report::Study select_arm(const report::Study& study, const std::string& prefix) {
  if (prefix.empty()) return study;
  report::Study arm = study;
  arm.runs.clear();
  for (const report::StudyRun& run : study.runs)
    if (run.row.plan.name.rfind(prefix + "-", 0) == 0) arm.runs.push_back(run);
  return arm;
}

std::vector<int64_t> budgets(const report::Study& study) {
  std::set<int64_t> out;
  for (const report::StudyRun& run : study.runs)
    if (run.completed()) out.insert(run.row.plan.tokens);
  return {out.begin(), out.end()};
}

int64_t largest_budget(const report::Study& study) {
  const auto all = budgets(study);
  return all.empty() ? 0 : all.back();
}

const store::MetricRow* find_metric(const report::StudyCheckpoint& checkpoint,
                                    const std::string& task, const std::string& metric) {
  for (const store::MetricRow& m : checkpoint.metrics)
    if (m.task == task && m.metric == metric && std::isfinite(m.value)) return &m;
  return nullptr;
}

std::vector<ScalePoint> final_points(const report::Study& study, const std::string& task,
                                     const std::string& metric) {
  std::vector<ScalePoint> out;
  for (const report::StudyRun& run : study.runs) {
    const report::StudyCheckpoint* last = run.last();
    if (!run.completed() || last == nullptr) continue;
    const store::MetricRow* m = find_metric(*last, task, metric);
    if (m == nullptr) continue;
    out.push_back({double(run.row.plan.parameters), double(last->row.tokens), last->row.flops,
                   m->value, m->standard_error, double(m->n), 1});
  }
  return out;
}

std::vector<ScalePoint> final_curve(const report::Study& study, const std::string& task,
                                    const std::string& metric, int64_t tokens) {
  if (tokens == 0) tokens = largest_budget(study);
  std::map<double, std::vector<const report::StudyRun*>> by_size;
  for (const report::StudyRun& run : study.runs)
    if (run.completed() && run.row.plan.tokens == tokens)
      by_size[double(run.row.plan.parameters)].push_back(&run);
  std::vector<ScalePoint> out;
  for (const auto& [params, runs] : by_size) {
    ScalePoint p;
    p.params = params;
    double value = 0, variance = 0;
    for (const report::StudyRun* run : runs) {
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

std::vector<std::string> evaluated_tasks(const report::Study& study) {
  std::set<std::string> tasks;
  for (const report::StudyRun& run : study.runs)
    for (const report::StudyCheckpoint& c : run.checkpoints)
      for (const store::MetricRow& m : c.metrics) tasks.insert(m.task);
  return {tasks.begin(), tasks.end()};
}

double mean_example_tokens(const std::vector<std::string>& specs) {
  double total = 0;
  int count = 0;
  Rng rng(17);
  for (const std::string& spec : specs) {
    const auto task = tasks::make_task(tasks::parse_task_spec(spec));
    for (int i = 0; i < 2000; ++i) {
      const tasks::Example e = task->sample_train(rng);
      total += double(1 + e.prompt.size() + e.target.size());
      ++count;
    }
  }
  return count > 0 ? total / count : NAN;
}

}  // namespace emlab::study
