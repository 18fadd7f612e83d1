#pragma once
// Per-family compute efficiency (Ruan et al. 2024, arXiv:2405.10938, §3.3): a model's capability
// (its first principal component) against log10 of its training FLOPs, with one slope shared by
// every family and one offset per family, by least squares. A family whose offset is higher
// reaches the same capability with less compute: 10^(Δoffset / slope) times less.
#include <string>
#include <vector>

#include "analysis/capability_table.hpp"

namespace emlab::analysis {

struct FamilyOffset {
  std::string family;
  size_t models = 0;
  double offset = 0;  // capability = slope·log10(FLOPs) + offset
};

struct FamilyEfficiency {
  double slope = 0;                   // capability per decade of compute
  std::vector<FamilyOffset> offsets;  // by offset, highest (most efficient) first
  double residual_sd = 0;             // NaN with no degree of freedom left
  size_t models = 0;
  // How many times more compute `family` needs than `reference` for the same capability.
  double compute_ratio(const std::string& family, const std::string& reference) const;
  // The family with the most models (then the first by name): the reference its offsets are
  // read against, being the best placed.
  const FamilyOffset& largest_family() const;
};

// capability, log10_flops, family: one entry per model. The slope is told only by families with
// two or more models at different compute, so at least one such family is needed.
FamilyEfficiency fit_family_efficiency(const std::vector<double>& capability,
                                       const std::vector<double>& log10_flops,
                                       const std::vector<std::string>& family);

// The same over a table: the first principal component of the models with every capability score
// and known FLOPs (a model without a family counts as the family "(no family)").
FamilyEfficiency family_efficiency(const CapabilityTable& table);

}  // namespace emlab::analysis
