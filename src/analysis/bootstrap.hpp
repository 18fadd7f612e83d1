#pragma once
// Nonparametric bootstrap over points (Efron): each resample draws n points with replacement,
// seeded by (seed, resample index) so results do not depend on the thread count.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace emlab::analysis {

struct Interval {
  double lower = 0;
  double upper = 0;
  bool contains(double x) const { return lower <= x && x <= upper; }
};

struct Estimate {
  double value = 0;   // from the full data
  Interval interval;  // bootstrap percentile interval
};

// How often each point is drawn in resample `resample` (sums to n).
std::vector<double> bootstrap_weights(size_t n, uint64_t seed, uint64_t resample);

// Percentile with linear interpolation between order statistics (NumPy's default), q in [0, 1],
// over the samples that are not NaN (NaN when none is).
double percentile(std::vector<double> samples, double q);

// Central percentile interval at the given level (0.95 -> 2.5th and 97.5th percentiles).
Interval percentile_interval(const std::vector<double>& samples, double level);

Estimate make_estimate(double value, const std::vector<double>& samples, double level);

// The estimate of one parameter of a fit from the point fit and its bootstrap refits,
// e.g. field_estimate(fit.params, fit.bootstrap, &ChinchillaParams::alpha, level).
template <typename Params>
Estimate field_estimate(const Params& point, const std::vector<Params>& refits,
                        double Params::*field, double level) {
  std::vector<double> samples;
  samples.reserve(refits.size());
  for (const Params& p : refits) samples.push_back(p.*field);
  return make_estimate(point.*field, samples, level);
}

}  // namespace emlab::analysis
