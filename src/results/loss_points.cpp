#include "results/loss_points.hpp"

#include <cmath>

#include "core/error.hpp"

namespace emlab::results {

std::vector<analysis::LossPoint> final_loss_points(const ResultSet& results) {
  std::vector<analysis::LossPoint> points;
  for (const RunResults& run : results.runs) {
    const CheckpointResults* last = run.last();
    if (!run.completed() || last == nullptr || !std::isfinite(last->row.validation_loss) ||
        !run.row.tokens_known || !run.row.flops_known || last->row.tokens <= 0 ||
        run.row.plan.parameters <= 0)
      continue;
    points.push_back({run.row.plan.name, double(run.row.plan.parameters), double(last->row.tokens),
                      last->row.flops, last->row.validation_loss, 0});
  }
  return points;
}

namespace {

double known_or_missing(double v) {
  return std::isfinite(v) ? v : analysis::kMissing;
}

}  // namespace

analysis::MeasurementTable final_measurements(const ResultSet& results) {
  analysis::MeasurementTable table{results.database, {}};
  for (const RunResults& run : results.runs) {
    const CheckpointResults* last = run.last();
    // A checkpoint in the middle of a cosine schedule is not a point of the scaling law, and the
    // untrained model (0 tokens) is not a point at all.
    if (!run.completed() || last == nullptr || (last->row.tokens_known && last->row.tokens == 0))
      continue;
    const std::string& name = run.row.plan.name;
    analysis::Measurement m;
    m.model = name;
    m.params = double(run.row.plan.parameters);
    require(m.params > 0, "{}: run '{}': expected a positive parameter count, got {}",
            results.database, name, run.row.plan.parameters);
    if (run.row.plan.non_embedding_parameters > 0)
      m.non_embedding_params = double(run.row.plan.non_embedding_parameters);
    // Tokens and FLOPs an imported table left blank stay blank (analyses name such models).
    m.tokens = last->row.tokens_known ? double(last->row.tokens) : analysis::kMissing;
    require(std::isnan(m.tokens) || m.tokens > 0,
            "{}: run '{}': expected a positive token count, got {}", results.database, name,
            last->row.tokens);
    m.flops = last->row.flops_known ? known_or_missing(last->row.flops) : analysis::kMissing;
    require(std::isnan(m.flops) || m.flops > 0, "{}: run '{}': expected a positive FLOP count",
            results.database, name);
    if (std::isnan(m.flops)) m.flops = 6.0 * m.params * m.tokens;  // C ≈ 6·N·D (Kaplan et al.)
    m.step = double(last->row.step);
    m.loss = known_or_missing(std::isfinite(last->row.validation_loss) ? last->row.validation_loss
                                                                       : last->row.train_loss);
    require(std::isnan(m.loss) || m.loss > 0, "{}: run '{}': expected a positive loss, got {}",
            results.database, name, m.loss);
    if (!std::isnan(m.loss)) table.rows.push_back(m);
    for (const store::MetricRow& metric : last->metrics) {
      if (!std::isfinite(metric.value)) continue;  // e.g. a metric with no defined value here
      analysis::Measurement row = m;
      row.task = metric.task;
      row.metric = metric.metric;
      row.value = metric.value;
      row.stderr_value = known_or_missing(metric.standard_error);
      require(std::isnan(row.stderr_value) || row.stderr_value >= 0,
              "{}: run '{}': {} {}: expected a standard error >= 0", results.database, name,
              metric.task, metric.metric);
      row.n = metric.n > 0 ? double(metric.n) : analysis::kMissing;
      table.rows.push_back(std::move(row));
    }
  }
  return table;
}

}  // namespace emlab::results
