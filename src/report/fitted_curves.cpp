#include "report/fitted_curves.hpp"

#include <fmt/format.h>

#include <cmath>

#include "report/vega.hpp"

namespace emlab::report {

std::vector<double> log_grid(double lo, double hi, int points) {
  std::vector<double> xs;
  for (int i = 0; i < points; ++i)
    xs.push_back(lo * std::pow(hi / lo, points == 1 ? 0.0 : double(i) / (points - 1)));
  return xs;
}

nlohmann::json power_law_curve(const analysis::PowerLawFit& fit, const std::string& x_field,
                               double lo, double hi) {
  nlohmann::json curve = nlohmann::json::array();
  for (const double x : log_grid(lo, hi)) {
    std::vector<double> samples;
    for (const auto& b : fit.bootstrap) samples.push_back(b.loss(x));
    const analysis::Interval band = samples.empty() ? analysis::Interval{NAN, NAN}
                                                    : analysis::percentile_interval(samples, 0.95);
    curve.push_back({{x_field, x},
                     {"fit", number(fit.params.loss(x))},
                     {"lower", number(band.lower)},
                     {"upper", number(band.upper)}});
  }
  return curve;
}

bool chinchilla_degenerate(const analysis::ChinchillaParams& p) {
  for (const double v : {p.E, p.A, p.B, p.alpha, p.beta})
    if (!std::isfinite(v)) return true;
  return p.alpha > kMaxExponent || p.beta > kMaxExponent;
}

nlohmann::json estimate_row(const std::string& name, const analysis::Estimate& e) {
  // Four significant digits: the intervals of a few points leave no meaning in more.
  const double shown = std::isfinite(e.value) ? std::stod(fmt::format("{:.4g}", e.value)) : NAN;
  return nlohmann::json::array(
      {name, number(shown), fmt::format("[{:.4g}, {:.4g}]", e.interval.lower, e.interval.upper)});
}

nlohmann::json power_law_table(const analysis::PowerLawFit& fit, const std::string& title) {
  nlohmann::json rows = nlohmann::json::array({estimate_row("E", fit.E), estimate_row("A", fit.A),
                                               estimate_row("α", fit.alpha),
                                               nlohmann::json::array({"points", fit.points, ""})});
  return {{"title", title},
          {"columns", {"parameter", "estimate", "95% interval"}},
          {"rows", std::move(rows)}};
}

}  // namespace emlab::report
