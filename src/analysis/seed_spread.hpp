#pragma once
// The spread of runs that differ only in their seed, pooled over the design points (cells) that
// have more than one: the noise reference that a forecast's interval or a comparison across sizes
// needs, since one seed alone gives none.
#include <cmath>
#include <vector>

#include "analysis/bootstrap.hpp"

namespace emlab::analysis {

struct SeedSpread {
  double sd = NAN;  // pooled standard deviation: sqrt(Σ_cells Σ (x − cell mean)² / dof)
  int dof = 0;      // Σ (values in a cell − 1); 0 (and sd NaN) when no cell has two values
  // Half-width of a 95% interval for one new run around a known mean: t(0.975, dof)·sd; 0 with
  // no spread to go on.
  double half_width() const;
};

// Each inner vector holds one cell's values (NaNs left out).
SeedSpread pooled_seed_spread(const std::vector<std::vector<double>>& cells);

// A 95% interval for the mean of runs that differ only in their seed: mean ± t(0.975, n − 1) ·
// sd / √n over the finite values. NaN bounds with fewer than two values: one seed has no interval.
Interval seed_mean_interval(const std::vector<double>& values);

}  // namespace emlab::analysis
