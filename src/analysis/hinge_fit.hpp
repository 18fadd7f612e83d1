#pragma once
// Du et al. 2024 (arXiv:2403.15796): an ability emerges in pre-training loss when performance sits
// at chance for loss above a threshold η and improves below it. Hinge model
//   y = chance + s·max(0, η − loss),  s ≥ 0,
// fitted by exact least squares: for each set of active points (loss < η) the best (s, η) is an
// ordinary regression on those points, checked against the segment it must lie in, plus the
// segment ends in closed form (no iterative optimiser needed). Bootstrap interval for η.
#include <cstdint>
#include <vector>

#include "analysis/bootstrap.hpp"
#include "analysis/power_law_fit.hpp"

namespace emlab::analysis {

struct HingeParams {
  double threshold = 0;  // η; NaN when the best fit is flat at chance (no improvement)
  double slope = 0;      // s, performance gained per nat of loss below η
  double chance = 0;
  double at(double loss) const;
};

struct HingeFit {
  HingeParams params;
  double rss = 0;
  size_t points = 0;
  Estimate threshold;        // interval over resamples with a threshold
  double flat_fraction = 0;  // share of resamples whose best fit was flat (no threshold)
};

HingeParams fit_hinge_point(const std::vector<double>& loss, const std::vector<double>& y,
                            double chance, const std::vector<double>& weights = {});

HingeFit fit_hinge(const std::vector<double>& loss, const std::vector<double>& y, double chance,
                   int bootstrap_resamples = 1000, uint64_t seed = 0, double level = 0.95);

// The model size at which L(N) = E + A·N^(−α) reaches η: N = (A/(η − E))^(1/α) (Du et al. write
// it N_0·(η − L_∞)^(−1/α) with A = N_0^α). NaN when η ≤ E (never reached).
double params_at_loss(const PowerLawParams& law, double eta);

}  // namespace emlab::analysis
