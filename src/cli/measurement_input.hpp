#pragma once
// Where `emlab fit` and `emlab forecast` read their measurements from: a long-format CSV
// (docs/csv-format.md), a study's results database, or the Gadre et al. 2024 scaling CSV (plus,
// optionally, its downstream CSV).
#include <string>

#include "analysis/measurement_table.hpp"

namespace emlab::cli {

struct MeasurementInput {
  std::string csv;               // long format
  std::string gadre_scaling;     // wide Gadre CSV
  std::string gadre_downstream;  // optional, with gadre_scaling
  std::string gadre_loss_column = "loss_c4_val";
  std::string database;  // a study's results database: final checkpoints of completed runs
};

analysis::MeasurementTable load_measurements(const MeasurementInput& input);

}  // namespace emlab::cli
