#pragma once
// Task × metric curves read from results for the emergence verdicts and the forecasts: over model
// size (the final checkpoint of every completed run, one curve per model family and token budget)
// and over training (the checkpoints of one run).
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/wei_test.hpp"
#include "results/result_set.hpp"

namespace emlab::results {

struct ScoreCurve {
  std::string task, metric;
  std::string family;  // model family of imported runs; '' for our own
  std::string run;     // over training: the run; '' for a curve over size
  bool continuous = true, higher_is_better = true;
  int64_t budget = 0;  // training tokens of its runs
  double chance = NAN;
  std::vector<analysis::CurvePoint> points;  // x ascending (parameters, or tokens seen)
  size_t most_runs_per_size = 1;             // runs sharing N and D (seeds) averaged into one point
  std::string label() const;
  // The Wei test needs a chance level (0 for a 0/1 score of an open answer) and every point's
  // uncertainty: its standard error or its n.
  bool wei_testable() const;
};

// Over size: one point per parameter count (seeds averaged); curves with at least `min_sizes`.
// Both leave out imported models whose training tokens are unknown (results/missing_facts.hpp).
std::vector<ScoreCurve> size_curves(const ResultSet& results, size_t min_sizes);

// Over training: for each family and budget, the largest completed run with at least
// `min_checkpoints` evaluated checkpoints; x = tokens seen.
std::vector<ScoreCurve> training_curves(const ResultSet& results, size_t min_checkpoints);

}  // namespace emlab::results
