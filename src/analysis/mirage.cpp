#include "analysis/mirage.hpp"

#include <cmath>

#include "analysis/wei_test.hpp"
#include "core/error.hpp"

namespace emlab::analysis {

double per_token_accuracy_from_loss(double cross_entropy) {
  return std::exp(-cross_entropy);
}

MirageCheck mirage_check(const std::vector<MirageInput>& inputs, double level) {
  require(!inputs.empty(), "mirage check: no points");
  MirageCheck check;
  double sum_sq = 0;
  int with_interval = 0, consistent = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const auto& in = inputs[i];
    require(in.per_token_accuracy >= 0 && in.per_token_accuracy <= 1,
            "mirage check: point {} has per-token accuracy {}; expected a value in [0, 1]", i + 1,
            in.per_token_accuracy);
    require(in.answer_length >= 1, "mirage check: point {} has answer length {}; expected >= 1",
            i + 1, in.answer_length);
    MirageRow row;
    row.predicted_exact_match = std::pow(in.per_token_accuracy, in.answer_length);
    row.predicted_edit_distance = in.answer_length * (1 - in.per_token_accuracy);
    row.observed_exact_match = in.exact_match;
    if (in.n > 0) {
      row.observed_interval = wilson_interval(in.exact_match, in.n, level);
      row.consistent = row.observed_interval.contains(row.predicted_exact_match);
      ++with_interval;
      consistent += row.consistent;
    } else {
      row.observed_interval = {std::nan(""), std::nan("")};
    }
    const double error = row.predicted_exact_match - in.exact_match;
    sum_sq += error * error;
    check.max_abs_error = std::max(check.max_abs_error, std::abs(error));
    check.rows.push_back(row);
  }
  check.rmse = std::sqrt(sum_sq / static_cast<double>(inputs.size()));
  check.consistent_fraction =
      with_interval ? static_cast<double>(consistent) / with_interval : std::nan("");
  return check;
}

}  // namespace emlab::analysis
