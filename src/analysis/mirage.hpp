#pragma once
// The mirage check of Schaeffer et al. 2023 (arXiv:2304.15004): if per-token accuracy p improves
// smoothly, exact match of an L-token answer is ≈ p^L (sharp in scale) while token edit distance is
// ≈ L·(1 − p) (smooth). Compares p^L with the observed exact match at each checkpoint.
#include <vector>

#include "analysis/bootstrap.hpp"

namespace emlab::analysis {

struct MirageInput {
  double per_token_accuracy = 0;  // p, e.g. exp(−cross-entropy per answer token)
  double answer_length = 1;       // L tokens
  double exact_match = 0;         // observed
  double n = 0;                   // examples behind exact_match (0: unknown, no interval)
};

struct MirageRow {
  double predicted_exact_match = 0;    // p^L
  double predicted_edit_distance = 0;  // L·(1 − p)
  double observed_exact_match = 0;
  Interval observed_interval;  // Wilson interval of the observation (NaN without n)
  bool consistent = false;     // prediction inside the observation's interval
};

struct MirageCheck {
  std::vector<MirageRow> rows;
  double rmse = 0;  // of predicted − observed exact match
  double max_abs_error = 0;
  double consistent_fraction = 0;  // over rows with an interval
};

MirageCheck mirage_check(const std::vector<MirageInput>& inputs, double level = 0.95);

// Per-token accuracy implied by a per-token cross-entropy in nats: p = exp(−L_CE).
double per_token_accuracy_from_loss(double cross_entropy);

}  // namespace emlab::analysis
