#include "results/circuit_summary.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace emlab::results {

std::map<int, std::vector<analysis::SeriesPoint>> best_induction_per_layer(const RunResults& run) {
  std::map<int, std::vector<analysis::SeriesPoint>> out;
  for (const CheckpointResults& c : run.checkpoints) {
    std::map<int, double> best;
    for (const store::ProbeScoreRow& p : c.probes)
      if (p.probe == "induction" && std::isfinite(p.value))
        best[p.layer] = std::max(best.count(p.layer) ? best[p.layer] : 0.0, p.value);
    for (const auto& [layer, value] : best)
      if (c.row.step > 0) out[layer].push_back({double(c.row.step), value});
  }
  return out;
}

namespace {

std::vector<analysis::SeriesPoint> model_series(const RunResults& run, const std::string& probe) {
  std::vector<analysis::SeriesPoint> out;
  for (const CheckpointResults& c : run.checkpoints)
    for (const store::ProbeScoreRow& p : c.probes)
      if (p.probe == probe && std::isfinite(p.value) && c.row.step > 0)
        out.push_back({double(c.row.step), p.value});
  return out;
}

// The layer whose heads' induction scores sum highest at the final checkpoint, its sum, its
// ablated repeated-copy loss and the chance level of such a sum.
void describe_induction_layer(const CheckpointResults& last, RunCircuit& r) {
  std::map<int, double> sums;
  std::map<int, int> heads;
  for (const store::ProbeScoreRow& p : last.probes)
    if (p.probe == "induction" && std::isfinite(p.value)) {
      sums[p.layer] += p.value;
      ++heads[p.layer];
    }
  for (const auto& [layer, sum] : sums)
    if (!(sum <= r.layer_induction)) {
      r.layer_induction = sum;
      r.induction_layer = layer;
    }
  for (const store::ProbeScoreRow& p : last.probes) {
    if (p.probe == "induction_chance" && r.induction_layer >= 0)
      r.layer_induction_chance = heads[r.induction_layer] * p.value;
    if (p.probe == "repeat_loss_ablated" && p.layer == r.induction_layer)
      r.repeat_ablated = p.value;
  }
  // A model that copies (almost) nothing leaves nothing to restore, and a ratio over a tiny gap
  // is noise (a smoke-scale model: 18 over a gap of 0.001 nats).
  const double gap = r.repeat_first - r.repeat_repeated;
  if (gap >= 0.1) r.ablation_recovery = (r.repeat_ablated - r.repeat_repeated) / gap;
}

}  // namespace

RunCircuit describe_circuit(const RunResults& run) {
  RunCircuit r;
  const CheckpointResults* last = run.last();
  if (last == nullptr) return r;
  for (const store::ProbeScoreRow& p : last->probes) {
    if (p.probe == "induction" && std::isfinite(p.value) && !(p.value <= r.final_induction)) {
      r.final_induction = p.value;
      r.best_head = fmt::format("L{}H{}", p.layer, p.head);
    }
    if (p.probe == "repeat_loss_first") r.repeat_first = p.value;
    if (p.probe == "repeat_loss_repeated") r.repeat_repeated = p.value;
    if (p.probe == "icl_score") r.icl = p.value;
  }
  describe_induction_layer(*last, r);
  // The phase change of the layer that ends with the best head.
  std::vector<analysis::SeriesPoint> series;
  double best_end = -1;
  for (const auto& [layer, s] : best_induction_per_layer(run))
    if (!s.empty() && s.back().value > best_end) {
      best_end = s.back().value;
      series = s;
    }
  analysis::PhaseChange change;
  try {
    change = analysis::find_phase_change(series);
    r.phase_step = change.steepest_step;
    r.width = change.width;
    r.jump_width = change.jump_width;
    r.peak_induction = change.peak_value;
  } catch (const Error& e) {
    r.phase_note = e.what();
    return r;
  }
  const std::vector<analysis::SeriesPoint> loss = model_series(run, "repeat_loss_repeated");
  for (const analysis::SeriesPoint& p : loss) {
    if (p.step <= change.step_10) r.repeat_before = p.value;
    if (p.step >= change.step_90 && std::isnan(r.repeat_after)) r.repeat_after = p.value;
  }
  try {
    r.repeat_loss_step = analysis::find_phase_change(loss).steepest_step;
    r.together = std::abs(std::log2(r.repeat_loss_step / r.phase_step)) <= 1.0 ? 1.0 : 0.0;
  } catch (const Error&) {
    // A loss that never changes (or too few points): nothing to compare the timing with.
  }
  return r;
}

}  // namespace emlab::results
