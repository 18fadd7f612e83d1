#include "analysis/bootstrap.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/rng.hpp"

namespace emlab::analysis {

std::vector<double> bootstrap_weights(size_t n, uint64_t seed, uint64_t resample) {
  // Distinct streams per resample: the golden-ratio step keeps neighbouring indices far apart
  // before Rng's splitmix64 seeding mixes them.
  Rng rng(seed ^ (0x9e3779b97f4a7c15ULL * (resample + 1)));
  std::vector<double> weights(n, 0.0);
  for (size_t i = 0; i < n; ++i) weights[rng.below(n)] += 1.0;
  return weights;
}

double percentile(std::vector<double> samples, double q) {
  require(!samples.empty(), "percentile of an empty sample");
  // A refit that diverged yields NaN, which has no place in an order (and would make std::sort
  // undefined): the percentile is over the refits that gave a number.
  std::erase_if(samples, [](double x) { return std::isnan(x); });
  if (samples.empty()) return std::nan("");
  std::sort(samples.begin(), samples.end());
  const double position = q * static_cast<double>(samples.size() - 1);
  const auto below = static_cast<size_t>(std::floor(position));
  const size_t above = std::min(below + 1, samples.size() - 1);
  const double fraction = position - static_cast<double>(below);
  // Equal neighbours need no interpolation, and infinite ones would give inf − inf = NaN.
  if (fraction == 0 || samples[above] == samples[below]) return samples[below];
  return samples[below] + fraction * (samples[above] - samples[below]);
}

Interval percentile_interval(const std::vector<double>& samples, double level) {
  const double tail = (1.0 - level) / 2.0;
  return {percentile(samples, tail), percentile(samples, 1.0 - tail)};
}

Estimate make_estimate(double value, const std::vector<double>& samples, double level) {
  if (samples.empty()) return {value, {std::nan(""), std::nan("")}};
  return {value, percentile_interval(samples, level)};
}

}  // namespace emlab::analysis
