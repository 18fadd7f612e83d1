#include "analysis/scaling_data.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/error.hpp"

namespace emlab::analysis {

ScaleAxis parse_scale_axis(const std::string& name) {
  if (name == "params" || name == "N") return ScaleAxis::params;
  if (name == "non_embedding_params") return ScaleAxis::non_embedding_params;
  if (name == "tokens" || name == "D") return ScaleAxis::tokens;
  if (name == "flops" || name == "C" || name == "compute") return ScaleAxis::flops;
  if (name == "loss") return ScaleAxis::loss;
  fail("unknown scale axis '{}': expected params, non_embedding_params, tokens, flops or loss",
       name);
}

std::string axis_name(ScaleAxis axis) {
  switch (axis) {
    case ScaleAxis::params:
      return "params";
    case ScaleAxis::non_embedding_params:
      return "non_embedding_params";
    case ScaleAxis::tokens:
      return "tokens";
    case ScaleAxis::flops:
      return "flops";
    case ScaleAxis::loss:
      return "loss";
  }
  return "?";
}

std::string row_place(const MeasurementTable& table, const Measurement& row) {
  return row.line > 0 ? fmt::format("{}:{}", table.source, row.line)
                      : fmt::format("{}: model '{}'", table.source, row.model);
}

std::vector<LossPoint> loss_points(const MeasurementTable& table, bool non_embedding) {
  std::vector<LossPoint> points;
  size_t unknown = 0;
  for (const auto& m : table.rows) {
    if (!m.is_loss_row()) continue;
    // A model whose tokens or FLOPs are unknown (a table with holes) is no point of a law in
    // D or C; models_without(table, axis, true) names it.
    if (std::isnan(m.tokens) || std::isnan(m.flops)) {
      ++unknown;
      continue;
    }
    LossPoint p;
    p.model = m.model;
    p.params = non_embedding ? m.non_embedding_params : m.params;
    require(!std::isnan(p.params),
            "{}: column 'non_embedding_params' is blank, but the fit counts non-embedding "
            "parameters",
            row_place(table, m));
    p.tokens = m.tokens;
    p.flops = m.flops;
    p.loss = m.loss;
    p.line = m.line;
    points.push_back(std::move(p));
  }
  require(unknown == 0 || !points.empty(),
          "{}: every loss row is of a model whose training tokens or FLOPs are unknown",
          table.source);
  require(!points.empty(), "{}: no loss rows (rows with a blank 'task' and a 'loss' value)",
          table.source);
  return points;
}

double axis_value(const LossPoint& point, ScaleAxis axis) {
  switch (axis) {
    case ScaleAxis::params:
    case ScaleAxis::non_embedding_params:
      return point.params;
    case ScaleAxis::tokens:
      return point.tokens;
    case ScaleAxis::flops:
      return point.flops;
    case ScaleAxis::loss:
      return point.loss;
  }
  return 0;
}

void require_enough_points(size_t points, size_t parameters, const std::string& what) {
  require(points > parameters, "{}: {} points for {} free parameters; need at least {}", what,
          points, parameters, parameters + 1);
}

}  // namespace emlab::analysis
