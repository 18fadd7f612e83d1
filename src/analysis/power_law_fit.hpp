#pragma once
// Power law with an irreducible term, L(X) = E + A·X^(−α), over one scale X (N, D or C), fitted in
// log space with the Huber objective of Hoffmann et al. (lse_huber_fit.hpp, one term) and bootstrap
// percentile intervals.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "analysis/bootstrap.hpp"
#include "analysis/lse_huber_fit.hpp"

namespace emlab::analysis {

struct PowerLawParams {
  double E = 0, A = 0, alpha = 0;
  double loss(double x) const;
};

struct PowerLawOptions {
  LseFitOptions fit;
  std::vector<Theta> starts;  // empty: hoffmann_grid(1), 150 starts
  int bootstrap_resamples = 1000;
  int bootstrap_starts = 3;  // warm starts per resample: the best distinct full-data optima
  uint64_t seed = 0;
  double level = 0.95;
};

struct PowerLawFit {
  PowerLawParams params;
  double objective = 0;
  size_t points = 0;
  bool converged = false;
  std::vector<PowerLawParams> bootstrap;
  Estimate E, A, alpha;
};

PowerLawParams power_law_from_theta(const Theta& theta);

// x and loss must be positive (checked by the CSV reader; checked again here for direct callers).
PowerLawFit fit_power_law(const std::vector<double>& x, const std::vector<double>& loss,
                          const PowerLawOptions& options);

}  // namespace emlab::analysis
