#include "analysis/chinchilla_fit.hpp"

#include <cmath>

#include "core/error.hpp"
#include "core/timer.hpp"

namespace emlab::analysis {

double ChinchillaParams::loss(double n, double d) const {
  return E + A * std::pow(n, -alpha) + B * std::pow(d, -beta);
}

ChinchillaParams chinchilla_from_theta(const Theta& theta) {
  return {std::exp(theta[2]), std::exp(theta[0]), std::exp(theta[1]), theta[3], theta[4]};
}

Theta chinchilla_to_theta(const ChinchillaParams& p) {
  return {std::log(p.A), std::log(p.B), std::log(p.E), p.alpha, p.beta};
}

ChinchillaFit fit_chinchilla(const std::vector<double>& params, const std::vector<double>& tokens,
                             const std::vector<double>& loss, const ChinchillaOptions& options) {
  require(params.size() == tokens.size() && params.size() == loss.size(),
          "Chinchilla fit: {} parameter counts, {} token counts and {} losses", params.size(),
          tokens.size(), loss.size());
  require_enough_points(params.size(), 5, "Chinchilla fit L = E + A/N^α + B/D^β");
  LseData data;
  data.terms = 2;
  for (size_t i = 0; i < params.size(); ++i) {
    require(params[i] > 0 && tokens[i] > 0 && loss[i] > 0,
            "Chinchilla fit: point {} has N = {}, D = {}, L = {}; all must be positive", i + 1,
            params[i], tokens[i], loss[i]);
    data.log_features.push_back(std::log(params[i]));
    data.log_features.push_back(std::log(tokens[i]));
    data.log_loss.push_back(std::log(loss[i]));
  }
  ChinchillaFit fit;
  Timer timer;
  const auto starts = options.starts.empty() ? hoffmann_grid(2) : options.starts;
  const auto solutions = solve_all_starts(data, {}, starts, options.fit);
  const auto warm =
      distinct_best(solutions, static_cast<size_t>(std::max(options.bootstrap_starts, 1)));
  size_t best = 0;
  for (size_t s = 1; s < solutions.size(); ++s)
    if (solutions[s].objective < solutions[best].objective) best = s;
  fit.params = chinchilla_from_theta(solutions[best].theta);
  fit.objective = solutions[best].objective;
  fit.converged = solutions[best].converged;
  fit.points = params.size();
  fit.starts = starts.size();
  fit.seconds_grid = timer.seconds();

  timer.reset();
  for (const auto& theta :
       bootstrap_refits(data, warm, options.bootstrap_resamples, options.seed, options.fit))
    fit.bootstrap.push_back(chinchilla_from_theta(theta));
  fit.seconds_bootstrap = timer.seconds();
  using P = ChinchillaParams;
  fit.E = field_estimate(fit.params, fit.bootstrap, &P::E, options.level);
  fit.A = field_estimate(fit.params, fit.bootstrap, &P::A, options.level);
  fit.B = field_estimate(fit.params, fit.bootstrap, &P::B, options.level);
  fit.alpha = field_estimate(fit.params, fit.bootstrap, &P::alpha, options.level);
  fit.beta = field_estimate(fit.params, fit.bootstrap, &P::beta, options.level);
  return fit;
}

ChinchillaFit fit_chinchilla(const std::vector<LossPoint>& points,
                             const ChinchillaOptions& options) {
  std::vector<double> n, d, l;
  for (const auto& p : points) {
    n.push_back(p.params);
    d.push_back(p.tokens);
    l.push_back(p.loss);
  }
  return fit_chinchilla(n, d, l, options);
}

}  // namespace emlab::analysis
