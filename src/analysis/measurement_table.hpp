#pragma once
// The measurements every analysis reads: one row is one measurement of one model checkpoint, its
// pre-training loss (a "loss row", task blank) or its score on one task under one metric (a "task
// row"). Files in this shape are read and written by imports/long_csv.hpp (docs/csv-format.md).
#include <limits>
#include <string>
#include <vector>

namespace emlab::analysis {

inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

struct Measurement {
  std::string model;
  double params = kMissing;                // all parameters, embeddings included (Chinchilla's N)
  double non_embedding_params = kMissing;  // Kaplan's N
  double tokens = kMissing;                // training tokens seen by this checkpoint
  double flops = kMissing;                 // training compute; 6·N·D when the cell is blank
  double step = kMissing;
  double loss = kMissing;  // pre-training (validation) loss in nats per token
  std::string task;
  std::string metric;
  double value = kMissing;
  double stderr_value = kMissing;
  double n = kMissing;  // number of examples behind `value`
  int line = 0;         // 1-based line of the row in its file, for error messages

  bool is_loss_row() const { return task.empty(); }
};

struct MeasurementTable {
  std::string source;  // file name, used in error messages downstream
  std::vector<Measurement> rows;
};

// The column names, in the documented order.
const std::vector<std::string>& measurement_columns();

}  // namespace emlab::analysis
