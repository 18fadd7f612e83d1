#include "analysis/compute_optimal.hpp"

#include <cmath>

namespace emlab::analysis {

ComputeOptimalPoint compute_optimal(const ChinchillaParams& p, double compute) {
  const double sum = p.alpha + p.beta;
  const double g = std::pow(p.alpha * p.A / (p.beta * p.B), 1.0 / sum);
  ComputeOptimalPoint point;
  point.compute = compute;
  point.params = g * std::pow(compute / 6.0, p.beta / sum);
  point.tokens = std::pow(compute / 6.0, p.alpha / sum) / g;
  point.tokens_per_param = point.tokens / point.params;
  return point;
}

ComputeOptimalEstimate compute_optimal_estimate(const ChinchillaFit& fit, double compute,
                                                double level) {
  const auto best = compute_optimal(fit.params, compute);
  std::vector<double> n, d, ratio;
  for (const auto& p : fit.bootstrap) {
    const auto q = compute_optimal(p, compute);
    // A resample with α or β at zero has no finite optimum; it widens the interval to infinity
    // rather than being dropped silently.
    n.push_back(std::isfinite(q.params) ? q.params : INFINITY);
    d.push_back(std::isfinite(q.tokens) ? q.tokens : INFINITY);
    ratio.push_back(std::isfinite(q.tokens_per_param) ? q.tokens_per_param : INFINITY);
  }
  return {compute, make_estimate(best.params, n, level), make_estimate(best.tokens, d, level),
          make_estimate(best.tokens_per_param, ratio, level)};
}

Estimate params_exponent(const ChinchillaFit& fit, double level) {
  std::vector<double> a;
  for (const auto& p : fit.bootstrap) a.push_back(p.beta / (p.alpha + p.beta));
  return make_estimate(fit.params.beta / (fit.params.alpha + fit.params.beta), a, level);
}

}  // namespace emlab::analysis
