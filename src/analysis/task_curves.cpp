#include "analysis/task_curves.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace emlab::analysis {

std::vector<double> TaskCurve::values() const {
  std::vector<double> v;
  for (const auto& p : points) v.push_back(p.value);
  return v;
}

std::vector<TaskCurve> task_curves(const MeasurementTable& table, ScaleAxis axis) {
  std::map<std::pair<std::string, std::string>, TaskCurve> curves;
  for (const auto& m : table.rows) {
    if (m.is_loss_row()) continue;
    double x = 0;
    switch (axis) {
      case ScaleAxis::params:
        x = m.params;
        break;
      case ScaleAxis::non_embedding_params:
        x = m.non_embedding_params;
        break;
      case ScaleAxis::tokens:
        x = m.tokens;
        break;
      case ScaleAxis::flops:
        x = m.flops;
        break;
      case ScaleAxis::loss:
        x = m.loss;
        break;
    }
    if (std::isnan(x)) continue;  // a hole in the table: models_without() names these models
    auto& curve = curves[{m.task, m.metric}];
    curve.task = m.task;
    curve.metric = m.metric;
    curve.axis = axis;
    curve.points.push_back({x, m.value, std::isnan(m.stderr_value) ? -1.0 : m.stderr_value,
                            std::isnan(m.n) ? -1.0 : m.n});
    curve.lines.push_back(m.line);
  }
  std::vector<TaskCurve> out;
  for (auto& [key, curve] : curves) {
    std::vector<size_t> order(curve.points.size());
    std::iota(order.begin(), order.end(), 0);
    const bool descending = axis == ScaleAxis::loss;  // high loss = small model
    const auto& points = curve.points;  // (clang 14 cannot capture a structured binding)
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return descending ? points[a].x > points[b].x : points[a].x < points[b].x;
    });
    TaskCurve sorted = curve;
    for (size_t i = 0; i < order.size(); ++i) {
      sorted.points[i] = curve.points[order[i]];
      sorted.lines[i] = curve.lines[order[i]];
    }
    out.push_back(std::move(sorted));
  }
  return out;
}

}  // namespace emlab::analysis
