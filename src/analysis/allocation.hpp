#pragma once
// Inference-aware allocation (Sardana & Frankle 2023, "Beyond Chinchilla-Optimal",
// arXiv:2401.00448, section 2): for a target loss ℓ and lifetime inference demand D_inf tokens,
// minimise total FLOPs 6·N·D_tr + 2·N·D_inf subject to L(N, D_tr) = ℓ, where
//   D_tr(N) = [B/(ℓ − E − A·N^(−α))]^(1/β)
// makes it a one-dimensional problem in N (> N_min, where A·N^(−α) = ℓ − E), solved by Ceres.
#include <vector>

#include "analysis/bootstrap.hpp"
#include "analysis/chinchilla_fit.hpp"

namespace emlab::analysis {

struct Allocation {
  double params = 0, train_tokens = 0;
  double train_flops = 0, inference_flops = 0, total_flops = 0;
};

// Throws when ℓ ≤ E (the loss is below the irreducible term: no model reaches it).
Allocation inference_aware_allocation(const ChinchillaParams& law, double target_loss,
                                      double inference_tokens);

struct AllocationEstimate {
  Allocation best;                             // at the fit's parameters
  Allocation chinchilla;                       // same loss, no inference demand
  Estimate params, train_tokens, total_flops;  // intervals over bootstrap refits
  int unreachable_resamples = 0;               // refits whose E ≥ ℓ
};

AllocationEstimate inference_aware_estimate(const ChinchillaFit& fit, double target_loss,
                                            double inference_tokens, double level);

}  // namespace emlab::analysis
