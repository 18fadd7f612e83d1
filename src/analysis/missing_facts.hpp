#pragma once
// Tables with holes: real leaderboards know every model's size but often not its training tokens
// or FLOPs. An analysis that needs a missing fact leaves the model out, and names it with these.
#include <string>
#include <vector>

#include "analysis/measurement_table.hpp"
#include "analysis/scaling_data.hpp"

namespace emlab::analysis {

// What a model lacks when a row has no value on the axis: "training tokens", "a loss"...
std::string missing_fact_name(ScaleAxis axis);

// The models with a row (a loss row, when loss_rows) whose value on the axis is blank, sorted.
std::vector<std::string> models_without(const MeasurementTable& table, ScaleAxis axis,
                                        bool loss_rows = false);

// The models whose loss rows lack tokens or FLOPs: what loss_points() leaves out, sorted.
std::vector<std::string> models_without_tokens_or_flops(const MeasurementTable& table);

// "" when no model is left out; else one sentence naming them all:
// "<what>: left out 2 model(s) without training tokens: a, b".
std::string left_out_note(const std::string& what, const std::string& fact,
                          const std::vector<std::string>& models);

}  // namespace emlab::analysis
