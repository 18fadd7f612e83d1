#pragma once
// The table observational scaling reads (Ruan et al. 2024, arXiv:2405.10938): for each model its
// family, training FLOPs (where known), its scores on the standard benchmarks that span the
// capability space, and its scores on the target tasks to forecast. Built from a results database
// by results/capability_scores.hpp, or in memory by tests.
#include <limits>
#include <string>
#include <vector>

namespace emlab::analysis {

struct CapabilityModel {
  std::string name, family;
  double flops = std::numeric_limits<double>::quiet_NaN();  // NaN: unknown
  std::vector<double> capability;                           // per capability task; NaN: no score
  std::vector<double> targets;                              // per target task; NaN: no score
};

struct CapabilityTable {
  std::vector<std::string> capability_tasks, target_tasks;
  std::vector<double> target_chance;  // per target task; NaN where unknown
  std::vector<CapabilityModel> models;
};

// The models with every capability score (and, when with_flops, known FLOPs), in table order.
std::vector<const CapabilityModel*> complete_models(const CapabilityTable& table, bool with_flops);

// Their capability scores, one row per model: what the principal components are taken of.
std::vector<std::vector<double>> capability_rows(const std::vector<const CapabilityModel*>& models);

// The models lacking a capability score, by name (sorted); and those complete but without FLOPs.
std::vector<std::string> models_without_capability(const CapabilityTable& table);
std::vector<std::string> complete_models_without_flops(const CapabilityTable& table);

// The "left out" notes (missing_facts.hpp) of an analysis that needs what the table lacks.
std::vector<std::string> capability_left_out_notes(const CapabilityTable& table,
                                                   const std::string& what, bool needs_flops);

}  // namespace emlab::analysis
