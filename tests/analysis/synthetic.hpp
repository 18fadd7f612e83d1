#pragma once
// Synthetic scaling data with known parameters, for recovery and coverage tests.
#include <cmath>
#include <vector>

#include "analysis/chinchilla_fit.hpp"
#include "core/rng.hpp"

namespace emlab::analysis::testing {

// Hoffmann et al. 2022's published approach-3 estimates.
inline ChinchillaParams published_chinchilla() {
  return {1.69, 406.4, 410.7, 0.34, 0.28};
}

struct SyntheticPoints {
  std::vector<double> params, tokens, loss;
};

// N log-uniform in [1e7, 1e10], D/N log-uniform in [2, 200], loss multiplied by exp(σ·z).
inline SyntheticPoints synthetic_chinchilla(const ChinchillaParams& truth, size_t count,
                                            double noise_sigma, uint64_t seed) {
  Rng rng(seed);
  SyntheticPoints s;
  for (size_t i = 0; i < count; ++i) {
    const double n = std::pow(10.0, 7.0 + 3.0 * rng.uniform());
    const double d = n * std::pow(10.0, std::log10(2.0) + 2.0 * rng.uniform());
    s.params.push_back(n);
    s.tokens.push_back(d);
    s.loss.push_back(truth.loss(n, d) * std::exp(noise_sigma * rng.normal()));
  }
  return s;
}

}  // namespace emlab::analysis::testing
