#pragma once
// Kaplan et al. 2020 (arXiv:2001.08361, eq. 1.5) joint form, without an irreducible term:
//   L(N, D) = [(N_c/N)^(α_N/α_D) + D_c/D]^α_D
// fitted in log space with a Huber loss (δ as for Chinchilla) by Ceres's Levenberg-Marquardt from
// a small grid of starts; bootstrap intervals by warm-started refits.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "analysis/bootstrap.hpp"
#include "analysis/scaling_data.hpp"

namespace emlab::analysis {

struct KaplanParams {
  double n_c = 0, d_c = 0, alpha_n = 0, alpha_d = 0;
  double loss(double n, double d) const;
};

struct KaplanOptions {
  double huber_delta = 1e-3;
  int bootstrap_resamples = 0;
  uint64_t seed = 0;
  double level = 0.95;
};

struct KaplanFit {
  KaplanParams params;
  double objective = 0;  // Σ Huber_δ of log residuals, as for Chinchilla
  size_t points = 0;
  std::vector<KaplanParams> bootstrap;
  Estimate n_c, d_c, alpha_n, alpha_d;
};

KaplanFit fit_kaplan(const std::vector<double>& params, const std::vector<double>& tokens,
                     const std::vector<double>& loss, const KaplanOptions& options);
KaplanFit fit_kaplan(const std::vector<LossPoint>& points, const KaplanOptions& options);

}  // namespace emlab::analysis
