#pragma once
// What the probes stored over one run's training say about its induction heads: the best head at
// the end, the phase change of the best induction score, the loss on repeated blocks around it,
// and whether the two changed together (Olsson et al. 2022). Read by the report's Circuits
// section and by the induction study.
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "analysis/phase_change.hpp"
#include "core/format.hpp"
#include "results/result_set.hpp"

namespace emlab::results {

// The best induction score of any head at each probed checkpoint, per layer.
std::map<int, std::vector<analysis::SeriesPoint>> best_induction_per_layer(const RunResults& run);

struct RunCircuit {
  std::string best_head = kNoValue;  // "LxHy" of the best induction head at the final checkpoint
  double final_induction = NAN;
  // The change of the best layer's induction score: steepest step (log steps) and 10-90% width.
  double phase_step = NAN, width = NAN;
  double jump_width = NAN;      // the width of the jump alone (analysis::PhaseChange::jump_width)
  double peak_induction = NAN;  // the best layer's highest score over training
  std::string phase_note;       // why there is no phase change, when there is none
  // At the final checkpoint: repeated-block losses and the in-context-learning score.
  double repeat_first = NAN, repeat_repeated = NAN, icl = NAN;
  // Loss on the repeated copies at the last probed checkpoint before the change's 10% point and
  // at the first one after its 90% point.
  double repeat_before = NAN, repeat_after = NAN;
  double repeat_loss_step = NAN;  // steepest change of the repeated-copy loss (log steps)
  // 1 when the steepest steps of score and loss are within a factor of 2, else 0.
  double together = NAN;
  // Copying spread over a layer's heads: at the final checkpoint, the largest summed induction
  // score of a layer's heads, that layer, and the sum a layer of heads attending evenly would get
  // (its heads times the probe's induction_chance; NaN without that probe).
  double layer_induction = NAN, layer_induction_chance = NAN;
  int induction_layer = -1;
  // That layer's attention mean-ablated (the layer_ablation probe): the repeated-copy loss, and
  // how much of the gap to the first copy's loss it restores,
  // (ablated − repeated)/(first − repeated): 1 all of it, 0 none; NaN below 0.1 nats of gap.
  double repeat_ablated = NAN, ablation_recovery = NAN;
};

RunCircuit describe_circuit(const RunResults& run);

}  // namespace emlab::results
