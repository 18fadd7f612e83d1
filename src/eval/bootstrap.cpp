#include "eval/bootstrap.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.hpp"
#include "core/rng.hpp"

namespace emlab::eval {

double sorted_percentile(const std::vector<double>& sorted, double q) {
  require(!sorted.empty(), "sorted_percentile: no values");
  require(q >= 0.0 && q <= 1.0, "sorted_percentile: q = {} is outside [0, 1]", q);
  const double position = q * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<size_t>(std::floor(position));
  const size_t above = std::min(below + 1, sorted.size() - 1);
  const double fraction = position - static_cast<double>(below);
  // Equal neighbours are returned as they are, so infinite values do not turn into NaN.
  if (fraction == 0.0 || sorted[below] == sorted[above]) return sorted[below];
  return sorted[below] + fraction * (sorted[above] - sorted[below]);
}

MeanEstimate bootstrap_mean(const std::vector<double>& values, const BootstrapOptions& options) {
  require(!values.empty(), "bootstrap_mean: no values");
  require(options.resamples >= 1, "bootstrap_mean: resamples must be at least 1");
  require(options.level > 0.0 && options.level < 1.0,
          "bootstrap_mean: level = {} must lie strictly between 0 and 1", options.level);
  const size_t n = values.size();
  const auto count = static_cast<double>(n);

  MeanEstimate estimate;
  estimate.n = n;
  estimate.mean = std::accumulate(values.begin(), values.end(), 0.0) / count;
  if (n > 1) {
    double squares = 0.0;
    for (double v : values) squares += (v - estimate.mean) * (v - estimate.mean);
    estimate.standard_error = std::sqrt(squares / (count - 1.0) / count);
  } else {
    estimate.standard_error = std::nan("");
  }

  Rng rng(options.seed);
  std::vector<double> means(options.resamples);
  for (double& m : means) {
    double sum = 0.0;
    for (size_t i = 0; i < n; ++i) sum += values[rng.below(n)];
    m = sum / count;
  }
  std::sort(means.begin(), means.end());
  const double tail = (1.0 - options.level) / 2.0;
  estimate.lower = sorted_percentile(means, tail);
  estimate.upper = sorted_percentile(means, 1.0 - tail);
  return estimate;
}

}  // namespace emlab::eval
