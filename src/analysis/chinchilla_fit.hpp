#pragma once
// Chinchilla's parametric loss L(N, D) = E + A/N^α + B/D^β, fitted as Hoffmann et al. 2022
// (arXiv:2203.15556) approach 3: log-sum-exp form, Huber δ = 1e-3 summed over points, L-BFGS from
// the 4,500-start grid, best kept; nonparametric bootstrap over points for intervals
// (Besiroglu et al. 2024, arXiv:2404.10102, do the same to re-fit the Chinchilla points).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "analysis/bootstrap.hpp"
#include "analysis/lse_huber_fit.hpp"
#include "analysis/scaling_data.hpp"

namespace emlab::analysis {

struct ChinchillaParams {
  double E = 0, A = 0, B = 0, alpha = 0, beta = 0;
  double loss(double n, double d) const;
};

struct ChinchillaOptions {
  LseFitOptions fit;
  std::vector<Theta> starts;  // empty: hoffmann_grid(2), 4,500 starts
  int bootstrap_resamples = 4000;
  int bootstrap_starts = 3;  // warm starts per resample: the best distinct full-data optima
  uint64_t seed = 0;
  double level = 0.95;
};

struct ChinchillaFit {
  ChinchillaParams params;
  double objective = 0;
  size_t points = 0;
  size_t starts = 0;
  bool converged = false;
  std::vector<ChinchillaParams> bootstrap;
  Estimate E, A, B, alpha, beta;
  double seconds_grid = 0, seconds_bootstrap = 0;
};

// θ = [a, b, e, α, β] (the layout of lse_huber_fit.hpp with k = 2).
ChinchillaParams chinchilla_from_theta(const Theta& theta);
Theta chinchilla_to_theta(const ChinchillaParams& p);

ChinchillaFit fit_chinchilla(const std::vector<double>& params, const std::vector<double>& tokens,
                             const std::vector<double>& loss, const ChinchillaOptions& options);
ChinchillaFit fit_chinchilla(const std::vector<LossPoint>& points,
                             const ChinchillaOptions& options);

}  // namespace emlab::analysis
