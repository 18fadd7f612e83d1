#pragma once
// The final checkpoint of every completed run as the scaling-law fits take it: loss points for
// the report and the study kinds, and the long measurement table (docs/csv-format.md) that
// `emlab fit` and `emlab forecast` read from a database.
#include <vector>

#include "analysis/measurement_table.hpp"
#include "analysis/scaling_data.hpp"
#include "results/result_set.hpp"

namespace emlab::results {

// Completed runs with a measured validation loss and positive N and D (known tokens and FLOPs).
std::vector<analysis::LossPoint> final_loss_points(const ResultSet& results);

// The rows `emlab export --format csv` writes for the final checkpoints of completed runs, typed
// (no text in between): a loss row (validation loss, else training loss) and one row per finite
// metric; FLOPs 6·N·D where unknown, tokens and FLOPs blank (NaN) where an imported table left
// them blank. Throws emlab::Error naming the run for sizes, FLOPs or
// losses that are not positive.
analysis::MeasurementTable final_measurements(const ResultSet& results);

}  // namespace emlab::results
