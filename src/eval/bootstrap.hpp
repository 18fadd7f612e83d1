#pragma once
// Mean of a per-example metric with its uncertainty: standard error and a nonparametric bootstrap
// percentile interval (Efron & Tibshirani 1993, ch. 13). Resamples come from one emlab::Rng
// stream seeded by `seed`, so the interval is the same on every machine and thread count, and two
// metrics over the same n examples with the same seed are resampled with the same example indices
// (a paired bootstrap: their intervals come from the same resampled test sets).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace emlab::eval {

struct BootstrapOptions {
  uint64_t seed = 0;
  size_t resamples = 2000;
  double level = 0.95;  // central interval: the (1 − level)/2 and (1 + level)/2 percentiles
};

struct MeanEstimate {
  double mean = 0;
  double lower = 0, upper = 0;  // bootstrap percentile interval
  double standard_error = 0;    // sample sd (n − 1) / √n; NaN when n = 1
  size_t n = 0;
  double resolution() const { return 1.0 / static_cast<double>(n); }  // smallest step of a 0/1 mean
};

// Requires at least one value, resamples >= 1 and 0 < level < 1.
MeanEstimate bootstrap_mean(const std::vector<double>& values, const BootstrapOptions& options);

// A statistic of the whole test set rather than a mean of per-example values (a product of
// per-position accuracies, say): `statistic` maps the indices of a test set of n examples, drawn
// with replacement, to its value. `mean` is the statistic of the n examples as they are, the
// interval the bootstrap percentiles and the standard error the resamples' standard deviation
// (NaN when n = 1). It draws the same indices as bootstrap_mean with the same seed, so the two
// stay paired.
MeanEstimate bootstrap_statistic(size_t n,
                                 const std::function<double(const std::vector<size_t>&)>& statistic,
                                 const BootstrapOptions& options);

// Percentile of sorted values with linear interpolation between order statistics (Hyndman & Fan
// 1996, definition 7), q in [0, 1].
double sorted_percentile(const std::vector<double>& sorted, double q);

}  // namespace emlab::eval
