#include "analysis/forecast.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>

#include "analysis/chinchilla_fit.hpp"
#include "analysis/power_law_fit.hpp"
#include "core/error.hpp"

namespace emlab::analysis {

LossPredictor fit_loss_predictor(const std::vector<const LossPoint*>& train,
                                 const LossForecastOptions& options) {
  LossPredictor out;
  if (options.form == "chinchilla") {
    std::vector<double> n, d, l;
    for (const auto* p : train) {
      n.push_back(p->params);
      d.push_back(p->tokens);
      l.push_back(p->loss);
    }
    ChinchillaOptions o;
    o.bootstrap_resamples = options.bootstrap_resamples;
    o.seed = options.seed;
    o.level = options.level;
    if (!options.full_grid) o.starts = coarse_grid(2);
    const auto fit = fit_chinchilla(n, d, l, o);
    out.predict = [p = fit.params](const LossPoint& x) { return p.loss(x.params, x.tokens); };
    for (const auto& b : fit.bootstrap)
      out.resampled.push_back([b](const LossPoint& x) { return b.loss(x.params, x.tokens); });
  } else if (options.form == "power_law") {
    std::vector<double> x, l;
    for (const auto* p : train) {
      x.push_back(axis_value(*p, options.power_law_axis));
      l.push_back(p->loss);
    }
    PowerLawOptions o;
    o.bootstrap_resamples = options.bootstrap_resamples;
    o.seed = options.seed;
    o.level = options.level;
    const auto fit = fit_power_law(x, l, o);
    const auto axis = options.power_law_axis;
    out.predict = [p = fit.params, axis](const LossPoint& q) {
      return p.loss(axis_value(q, axis));
    };
    for (const auto& b : fit.bootstrap)
      out.resampled.push_back(
          [b, axis](const LossPoint& q) { return b.loss(axis_value(q, axis)); });
  } else {
    fail("forecast: unknown form '{}': expected chinchilla or power_law", options.form);
  }

  return out;
}

LossForecast forecast_loss(const std::vector<LossPoint>& points, ScaleAxis cutoff_axis,
                           double cutoff, const LossForecastOptions& options) {
  std::vector<const LossPoint*> train, test;
  for (const auto& p : points) (axis_value(p, cutoff_axis) <= cutoff ? train : test).push_back(&p);
  require(!test.empty(), "forecast: no points above the cutoff {} on {}", cutoff,
          axis_name(cutoff_axis));
  LossForecast out;
  out.form = options.form;
  out.cutoff_axis = cutoff_axis;
  out.cutoff = cutoff;
  out.train_points = train.size();

  const LossPredictor fit = fit_loss_predictor(train, options);
  const auto& predict = fit.predict;
  const auto& resampled = fit.resampled;

  int covered = 0;
  for (const auto* p : test) {
    LossForecastRow row;
    row.model = p->model;
    row.line = p->line;
    row.scale = axis_value(*p, cutoff_axis);
    row.observed = p->loss;
    row.predicted = predict(*p);
    std::vector<double> samples;
    for (const auto& f : resampled) samples.push_back(f(*p));
    row.interval = samples.empty() ? Interval{std::nan(""), std::nan("")}
                                   : percentile_interval(samples, options.level);
    row.relative_error = row.predicted / row.observed - 1;
    covered += row.interval.contains(row.observed);
    out.mean_abs_rel_error += std::abs(row.relative_error) / static_cast<double>(test.size());
    out.max_abs_rel_error = std::max(out.max_abs_rel_error, std::abs(row.relative_error));
    out.rows.push_back(row);
  }
  out.interval_coverage = static_cast<double>(covered) / static_cast<double>(test.size());
  std::sort(out.rows.begin(), out.rows.end(),
            [](const LossForecastRow& a, const LossForecastRow& b) { return a.scale < b.scale; });
  return out;
}

double first_crossing(const std::vector<double>& x, const std::vector<double>& y, double level) {
  for (size_t i = 0; i < y.size(); ++i) {
    if (y[i] < level) continue;
    if (i == 0) return x[0];
    const double t = (level - y[i - 1]) / (y[i] - y[i - 1]);
    return x[i - 1] + t * (x[i] - x[i - 1]);
  }
  return std::nan("");
}

AbilityForecast forecast_ability(const std::string& label, const std::vector<double>& x,
                                 const std::vector<double>& y, bool x_is_loss, double cutoff,
                                 double level, const SigmoidOptions& options) {
  require(x.size() == y.size(), "ability forecast '{}': {} x values but {} y values", label,
          x.size(), y.size());
  // Order from the smallest model to the largest.
  std::vector<size_t> order(x.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return x_is_loss ? x[a] > x[b] : x[a] < x[b]; });
  std::vector<double> sx, sy, train_x, train_y;
  AbilityForecast f;
  f.label = label;
  f.level = level;
  f.cutoff = cutoff;
  for (size_t i : order) {
    sx.push_back(x[i]);
    sy.push_back(y[i]);
    const bool small_side = x_is_loss ? x[i] >= cutoff : x[i] <= cutoff;
    if (small_side) {
      train_x.push_back(x[i]);
      train_y.push_back(y[i]);
    } else {
      f.held_out_x.push_back(x[i]);
      f.held_out_observed.push_back(y[i]);
    }
  }
  f.train_points = train_x.size();
  const auto fit = fit_sigmoid(train_x, train_y, options);
  f.predicted_crossing = fit.params.crossing(level);
  std::vector<double> crossings;
  for (const auto& b : fit.bootstrap) {
    const double c = b.crossing(level);
    if (std::isfinite(c)) crossings.push_back(c);
  }
  f.predicted_interval = crossings.empty() ? Interval{std::nan(""), std::nan("")}
                                           : percentile_interval(crossings, options.level);
  f.observed_crossing = first_crossing(sx, sy, level);
  f.crossing_error = f.predicted_crossing - f.observed_crossing;
  for (double v : f.held_out_x) f.held_out_predicted.push_back(fit.params.at(v));
  return f;
}

}  // namespace emlab::analysis
