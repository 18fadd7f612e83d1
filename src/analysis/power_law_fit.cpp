#include "analysis/power_law_fit.hpp"

#include <cmath>

#include "analysis/scaling_data.hpp"
#include "core/error.hpp"

namespace emlab::analysis {

double PowerLawParams::loss(double x) const {
  return E + A * std::pow(x, -alpha);
}

PowerLawParams power_law_from_theta(const Theta& theta) {
  return {std::exp(theta[1]), std::exp(theta[0]), theta[2]};
}

PowerLawFit fit_power_law(const std::vector<double>& x, const std::vector<double>& loss,
                          const PowerLawOptions& options) {
  require(x.size() == loss.size(), "power-law fit: {} scale values but {} losses", x.size(),
          loss.size());
  require_enough_points(x.size(), 3, "power-law fit L = E + A·X^(−α)");
  LseData data;
  data.terms = 1;
  for (size_t i = 0; i < x.size(); ++i) {
    require(x[i] > 0 && loss[i] > 0,
            "power-law fit: point {} has scale {} and loss {}; both must be positive", i + 1, x[i],
            loss[i]);
    data.log_features.push_back(std::log(x[i]));
    data.log_loss.push_back(std::log(loss[i]));
  }
  const auto starts = options.starts.empty() ? hoffmann_grid(1) : options.starts;
  const auto solutions = solve_all_starts(data, {}, starts, options.fit);
  const auto warm =
      distinct_best(solutions, static_cast<size_t>(std::max(options.bootstrap_starts, 1)));
  const auto best = best_of_starts(data, {}, {warm.front()}, options.fit, false);

  PowerLawFit fit;
  fit.params = power_law_from_theta(best.theta);
  fit.objective = best.objective;
  fit.points = x.size();
  fit.converged = best.converged;
  for (const auto& theta :
       bootstrap_refits(data, warm, options.bootstrap_resamples, options.seed, options.fit))
    fit.bootstrap.push_back(power_law_from_theta(theta));
  using P = PowerLawParams;
  fit.E = field_estimate(fit.params, fit.bootstrap, &P::E, options.level);
  fit.A = field_estimate(fit.params, fit.bootstrap, &P::A, options.level);
  fit.alpha = field_estimate(fit.params, fit.bootstrap, &P::alpha, options.level);
  return fit;
}

}  // namespace emlab::analysis
