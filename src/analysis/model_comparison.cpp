#include "analysis/model_comparison.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

#include "analysis/bootstrap.hpp"
#include "analysis/chinchilla_fit.hpp"
#include "analysis/kaplan_fit.hpp"
#include "analysis/power_law_fit.hpp"
#include "core/error.hpp"

namespace emlab::analysis {

std::vector<bool> hold_out_largest(const std::vector<LossPoint>& points, ScaleAxis axis,
                                   double keep_fraction) {
  require(keep_fraction > 0 && keep_fraction < 1, "hold-out: keep fraction {} must lie in (0, 1)",
          keep_fraction);
  std::vector<double> values;
  for (const auto& p : points) values.push_back(axis_value(p, axis));
  const double cutoff = percentile(values, keep_fraction);
  std::vector<bool> held_out;
  for (double v : values) held_out.push_back(v > cutoff);
  return held_out;
}

std::vector<HeldOutScore> compare_on_held_out(const std::vector<LossPoint>& points,
                                              const std::vector<bool>& held_out) {
  require(points.size() == held_out.size(), "hold-out mask has {} entries for {} points",
          held_out.size(), points.size());
  std::vector<double> n, d, c, l;
  std::vector<const LossPoint*> test;
  for (size_t i = 0; i < points.size(); ++i) {
    if (held_out[i]) {
      test.push_back(&points[i]);
      continue;
    }
    n.push_back(points[i].params);
    d.push_back(points[i].tokens);
    c.push_back(points[i].flops);
    l.push_back(points[i].loss);
  }
  require(!test.empty(), "hold-out comparison: no held-out points");

  auto score = [&](const std::string& form,
                   const std::function<double(const LossPoint&)>& predict) {
    HeldOutScore s;
    s.form = form;
    s.train_points = l.size();
    s.test_points = test.size();
    double sum_sq = 0, sum_rel = 0;
    for (const auto* p : test) {
      const double predicted = predict(*p);
      const double log_error = std::log(predicted) - std::log(p->loss);
      sum_sq += log_error * log_error;
      const double rel = std::abs(predicted / p->loss - 1);
      sum_rel += rel;
      s.max_abs_rel_error = std::max(s.max_abs_rel_error, rel);
    }
    s.rmse_log = std::sqrt(sum_sq / static_cast<double>(test.size()));
    s.mean_abs_rel_error = sum_rel / static_cast<double>(test.size());
    return s;
  };

  std::vector<HeldOutScore> scores;
  ChinchillaOptions chinchilla_options;
  chinchilla_options.bootstrap_resamples = 0;
  const auto chinchilla = fit_chinchilla(n, d, l, chinchilla_options).params;
  scores.push_back(
      score("chinchilla", [&](const LossPoint& p) { return chinchilla.loss(p.params, p.tokens); }));
  const auto kaplan = fit_kaplan(n, d, l, {}).params;
  scores.push_back(
      score("kaplan", [&](const LossPoint& p) { return kaplan.loss(p.params, p.tokens); }));
  PowerLawOptions power_options;
  power_options.bootstrap_resamples = 0;
  const auto power = fit_power_law(c, l, power_options).params;
  scores.push_back(
      score("power_law_flops", [&](const LossPoint& p) { return power.loss(p.flops); }));
  return scores;
}

}  // namespace emlab::analysis
