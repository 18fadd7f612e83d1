#include "analysis/missing_facts.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <set>

namespace emlab::analysis {

std::string missing_fact_name(ScaleAxis axis) {
  switch (axis) {
    case ScaleAxis::params:
      return "a parameter count";
    case ScaleAxis::non_embedding_params:
      return "a non-embedding parameter count";
    case ScaleAxis::tokens:
      return "training tokens";
    case ScaleAxis::flops:
      return "training FLOPs";
    case ScaleAxis::loss:
      return "a loss";
  }
  return "?";
}

std::vector<std::string> models_without(const MeasurementTable& table, ScaleAxis axis,
                                        bool loss_rows) {
  std::set<std::string> models;
  for (const Measurement& m : table.rows) {
    if (loss_rows && !m.is_loss_row()) continue;
    const double v = axis == ScaleAxis::params                 ? m.params
                     : axis == ScaleAxis::non_embedding_params ? m.non_embedding_params
                     : axis == ScaleAxis::tokens               ? m.tokens
                     : axis == ScaleAxis::flops                ? m.flops
                                                               : m.loss;
    if (std::isnan(v)) models.insert(m.model);
  }
  return {models.begin(), models.end()};
}

std::vector<std::string> models_without_tokens_or_flops(const MeasurementTable& table) {
  std::set<std::string> models;
  for (const auto axis : {ScaleAxis::tokens, ScaleAxis::flops})
    for (std::string& m : models_without(table, axis, true)) models.insert(std::move(m));
  return {models.begin(), models.end()};
}

std::string left_out_note(const std::string& what, const std::string& fact,
                          const std::vector<std::string>& models) {
  if (models.empty()) return "";
  return fmt::format("{}: left out {} model(s) without {}: {}", what, models.size(), fact,
                     fmt::join(models, ", "));
}

}  // namespace emlab::analysis
