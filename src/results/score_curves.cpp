#include "results/score_curves.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "core/format.hpp"
#include "eval/task_summary.hpp"

namespace emlab::results {

namespace {

// Seeds of one size averaged: the mean value, its standard error from theirs, their n summed.
analysis::CurvePoint average(const std::vector<analysis::CurvePoint>& seeds) {
  analysis::CurvePoint p{seeds.front().x, 0, 0, 0};
  bool se_known = true, n_known = true;
  for (const auto& s : seeds) {
    p.value += s.value / double(seeds.size());
    p.stderr_value += s.stderr_value * s.stderr_value;
    p.n += s.n;
    se_known = se_known && s.stderr_value >= 0;
    n_known = n_known && s.n > 0;
  }
  p.stderr_value = se_known ? std::sqrt(p.stderr_value) / double(seeds.size()) : -1;
  if (!n_known) p.n = -1;
  return p;
}

analysis::CurvePoint point(double x, const store::MetricRow& m) {
  return {x, m.value, std::isfinite(m.standard_error) ? m.standard_error : -1,
          m.n > 0 ? double(m.n) : -1};
}

void describe(ScoreCurve& c, const RunResults& run, const store::MetricRow& m) {
  c.task = m.task;
  c.metric = m.metric;
  c.family = run.row.family;
  c.continuous = m.continuous;
  c.higher_is_better = eval::metric_higher_is_better(m.metric);
  c.budget = run.row.plan.tokens;
  if (std::isfinite(m.chance)) c.chance = m.chance;
}

}  // namespace

std::string ScoreCurve::label() const {
  std::string text = fmt::format("{} / {}", task, metric);
  if (!run.empty()) return text + " over the training of " + run;
  text += fmt::format(" @ D={}", human_count(double(budget)));
  if (!family.empty()) text += fmt::format(" ({})", family);
  return text;
}

bool ScoreCurve::wei_testable() const {
  if (!higher_is_better || (continuous && !std::isfinite(chance))) return false;
  return std::all_of(points.begin(), points.end(),
                     [](const auto& p) { return p.stderr_value >= 0 || p.n > 0; });
}

std::vector<ScoreCurve> size_curves(const ResultSet& results, size_t min_sizes) {
  using Key = std::tuple<std::string, std::string, std::string, int64_t>;
  std::map<Key, ScoreCurve> curves;
  std::map<Key, std::map<double, std::vector<analysis::CurvePoint>>> by_size;
  for (const RunResults& run : results.runs) {
    const CheckpointResults* last = run.last();
    // A curve holds one token budget: a model whose tokens are unknown belongs to none.
    if (!run.completed() || last == nullptr || !run.row.tokens_known) continue;
    for (const store::MetricRow& m : last->metrics) {
      if (!std::isfinite(m.value)) continue;
      const Key key{run.row.family, m.task, m.metric, run.row.plan.tokens};
      describe(curves[key], run, m);
      const double params = double(run.row.plan.parameters);
      by_size[key][params].push_back(point(params, m));
    }
  }
  std::vector<ScoreCurve> out;
  for (auto& [key, c] : curves) {
    for (const auto& [params, seeds] : by_size[key]) {
      c.points.push_back(average(seeds));
      c.most_runs_per_size = std::max(c.most_runs_per_size, seeds.size());
    }
    if (c.points.size() >= min_sizes) out.push_back(std::move(c));
  }
  return out;
}

std::vector<ScoreCurve> training_curves(const ResultSet& results, size_t min_checkpoints) {
  // The largest run of each family and budget among those evaluated often enough.
  std::map<std::pair<std::string, int64_t>, const RunResults*> chosen;
  for (const RunResults& run : results.runs) {
    if (!run.completed() || !run.row.tokens_known || run.checkpoints.size() < min_checkpoints)
      continue;
    const RunResults*& best = chosen[{run.row.family, run.row.plan.tokens}];
    if (best == nullptr || run.row.plan.parameters > best->row.plan.parameters) best = &run;
  }
  std::vector<ScoreCurve> out;
  for (const auto& [key, run] : chosen) {
    std::map<std::pair<std::string, std::string>, ScoreCurve> curves;
    for (const CheckpointResults& c : run->checkpoints)
      for (const store::MetricRow& m : c.metrics) {
        if (!std::isfinite(m.value) || !c.row.tokens_known) continue;
        ScoreCurve& curve = curves[{m.task, m.metric}];
        describe(curve, *run, m);
        curve.run = run->row.plan.name;
        curve.points.push_back(point(double(c.row.tokens), m));
      }
    for (auto& [name, curve] : curves)
      if (curve.points.size() >= min_checkpoints) out.push_back(std::move(curve));
  }
  return out;
}

}  // namespace emlab::results
