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

namespace {

void check(size_t n, const BootstrapOptions& options, const char* what) {
  require(n > 0, "{}: no values", what);
  require(options.resamples >= 1, "{}: resamples must be at least 1", what);
  require(options.level > 0.0 && options.level < 1.0,
          "{}: level = {} must lie strictly between 0 and 1", what, options.level);
}

// The central `level` interval of the resampled values (sorted here).
void set_interval(std::vector<double>& resampled, double level, MeanEstimate& estimate) {
  std::sort(resampled.begin(), resampled.end());
  const double tail = (1.0 - level) / 2.0;
  estimate.lower = sorted_percentile(resampled, tail);
  estimate.upper = sorted_percentile(resampled, 1.0 - tail);
}

}  // namespace

MeanEstimate bootstrap_mean(const std::vector<double>& values, const BootstrapOptions& options) {
  check(values.size(), options, "bootstrap_mean");
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
  set_interval(means, options.level, estimate);
  return estimate;
}

MeanEstimate bootstrap_statistic(size_t n,
                                 const std::function<double(const std::vector<size_t>&)>& statistic,
                                 const BootstrapOptions& options) {
  check(n, options, "bootstrap_statistic");
  MeanEstimate estimate;
  estimate.n = n;
  std::vector<size_t> indices(n);
  std::iota(indices.begin(), indices.end(), size_t{0});
  estimate.mean = statistic(indices);

  Rng rng(options.seed);
  std::vector<double> resampled(options.resamples);
  double sum = 0.0;
  for (double& value : resampled) {
    for (size_t& i : indices) i = rng.below(n);
    value = statistic(indices);
    sum += value;
  }
  if (n > 1) {
    const double mean = sum / static_cast<double>(resampled.size());
    double squares = 0.0;
    for (double v : resampled) squares += (v - mean) * (v - mean);
    estimate.standard_error = resampled.size() > 1
                                  ? std::sqrt(squares / static_cast<double>(resampled.size() - 1))
                                  : std::nan("");
  } else {
    estimate.standard_error = std::nan("");
  }
  set_interval(resampled, options.level, estimate);
  return estimate;
}

}  // namespace emlab::eval
