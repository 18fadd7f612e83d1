#pragma once
// Compute-optimal allocation under the Chinchilla form (Hoffmann et al. 2022, eq. 4 and appendix
// D.2): with C = 6·N·D, G = (αA/(βB))^(1/(α+β)),
//   N_opt(C) = G·(C/6)^(β/(α+β)),  D_opt(C) = G⁻¹·(C/6)^(α/(α+β)).
#include <vector>

#include "analysis/bootstrap.hpp"
#include "analysis/chinchilla_fit.hpp"

namespace emlab::analysis {

struct ComputeOptimalPoint {
  double compute = 0, params = 0, tokens = 0, tokens_per_param = 0;
};

ComputeOptimalPoint compute_optimal(const ChinchillaParams& p, double compute);

struct ComputeOptimalEstimate {
  double compute = 0;
  Estimate params, tokens, tokens_per_param;
};

// Point estimate from the fit, interval from its bootstrap refits.
ComputeOptimalEstimate compute_optimal_estimate(const ChinchillaFit& fit, double compute,
                                                double level);

// The exponents of N_opt ∝ C^a and D_opt ∝ C^b: a = β/(α+β), b = α/(α+β).
Estimate params_exponent(const ChinchillaFit& fit, double level);

}  // namespace emlab::analysis
