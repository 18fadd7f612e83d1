#pragma once
// Loss points for scaling-law fits, taken from the loss rows of a measurement table.
#include <cstddef>
#include <string>
#include <vector>

#include "analysis/measurement_table.hpp"

namespace emlab::analysis {

// The scale a fit or a curve is drawn over.
enum class ScaleAxis { params, non_embedding_params, tokens, flops, loss };

ScaleAxis parse_scale_axis(const std::string& name);  // "params", "tokens", "flops", "loss", ...
std::string axis_name(ScaleAxis axis);

struct LossPoint {
  std::string model;
  double params = 0;  // N as chosen (total or non-embedding)
  double tokens = 0;  // D
  double flops = 0;   // C
  double loss = 0;
  int line = 0;  // row of the source file, for messages
};

// Where a row came from, for messages: "file:line" for a file's row, "database: model 'name'"
// for a row read from a results database (line 0).
std::string row_place(const MeasurementTable& table, const Measurement& row);

// Loss rows only (task rows may repeat a checkpoint's loss; they are not extra points), of the
// models whose tokens and FLOPs are known.
// With non_embedding, N is the non_embedding_params column, which must then be filled.
std::vector<LossPoint> loss_points(const MeasurementTable& table, bool non_embedding = false);

double axis_value(const LossPoint& point, ScaleAxis axis);

// Fails with a clear message when a fit has fewer points than it has parameters.
void require_enough_points(size_t points, size_t parameters, const std::string& what);

}  // namespace emlab::analysis
