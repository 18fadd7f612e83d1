#pragma once
// Reader for the scaling data of Gadre et al. 2024 ("Language models scale reliably with
// over-training and on downstream tasks", arXiv:2403.08540), as flattened in
// tests/data/analysis/gadre2024/ (one row per model, wide columns), into the long format.
#include <string>

#include "analysis/measurement_table.hpp"

namespace emlab::imports {

// One loss row per model: params, params_no_embed, tokens, FLOPs = 6·N·D and the chosen loss
// column (Gadre et al. fit on C4 validation loss, `loss_c4_val`).
analysis::MeasurementTable read_gadre_scaling_csv(const std::string& scaling_path,
                                                  const std::string& loss_column = "loss_c4_val");

// Adds one task row per model and downstream column (metric "score", the harness's accuracy-like
// number), carrying the model's loss so that curves can be drawn over loss.
void add_gadre_downstream_csv(const std::string& downstream_path,
                              analysis::MeasurementTable& table);

}  // namespace emlab::imports
