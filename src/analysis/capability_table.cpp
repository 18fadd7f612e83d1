#include "analysis/capability_table.hpp"

#include <algorithm>
#include <cmath>

#include "analysis/missing_facts.hpp"

namespace emlab::analysis {
namespace {

bool has_capability(const CapabilityModel& m) {
  return std::all_of(m.capability.begin(), m.capability.end(),
                     [](double v) { return std::isfinite(v); });
}

}  // namespace

std::vector<const CapabilityModel*> complete_models(const CapabilityTable& table, bool with_flops) {
  std::vector<const CapabilityModel*> out;
  for (const CapabilityModel& m : table.models)
    if (has_capability(m) && (!with_flops || std::isfinite(m.flops))) out.push_back(&m);
  return out;
}

std::vector<std::vector<double>> capability_rows(
    const std::vector<const CapabilityModel*>& models) {
  std::vector<std::vector<double>> rows;
  for (const CapabilityModel* m : models) rows.push_back(m->capability);
  return rows;
}

std::vector<std::string> models_without_capability(const CapabilityTable& table) {
  std::vector<std::string> out;
  for (const CapabilityModel& m : table.models)
    if (!has_capability(m)) out.push_back(m.name);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> complete_models_without_flops(const CapabilityTable& table) {
  std::vector<std::string> out;
  for (const CapabilityModel* m : complete_models(table, false))
    if (!std::isfinite(m->flops)) out.push_back(m->name);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> capability_left_out_notes(const CapabilityTable& table,
                                                   const std::string& what, bool needs_flops) {
  std::vector<std::string> notes;
  std::string fact = "a score on every capability task (";
  for (size_t i = 0; i < table.capability_tasks.size(); ++i)
    fact += (i ? ", " : "") + table.capability_tasks[i];
  fact += ")";
  for (const std::string& note :
       {left_out_note(what, fact, models_without_capability(table)),
        needs_flops ? left_out_note(what, missing_fact_name(ScaleAxis::flops),
                                    complete_models_without_flops(table))
                    : std::string()})
    if (!note.empty()) notes.push_back(note);
  return notes;
}

}  // namespace emlab::analysis
