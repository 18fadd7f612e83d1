// induction: do induction heads form in an abrupt phase change in models of two or more layers,
// together with the fall of the loss on repeated tokens, and not in a one-layer model? (Olsson et
// al. 2022.) Reads the probe scores a sweep's [probes] table stored at every checkpoint of
// attention-only models of several depths; per depth, the best head's induction score at the end,
// the phase change of its layer's best score, and the repeated-copy loss around it.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "analysis/seed_spread.hpp"
#include "probe/head_scores.hpp"
#include "results/circuit_summary.hpp"
#include "results/scale_points.hpp"
#include "study/simulated_design.hpp"
#include "study/study_kind.hpp"
#include "sweep/ledger.hpp"

namespace emlab::study {

namespace {

double mean(const std::vector<double>& values) {
  double sum = 0;
  int n = 0;
  for (double v : values)
    if (std::isfinite(v)) sum += v, ++n;
  return n > 0 ? sum / n : NAN;
}

// The lowest (highest) of the values seen so far: NaN until the first.
void keep_lowest(double& kept, double value) {
  kept = std::isnan(kept) ? value : std::min(kept, value);
}
void keep_highest(double& kept, double value) {
  kept = std::isnan(kept) ? value : std::max(kept, value);
}

class InductionKind final : public StudyKind {
 public:
  explicit InductionKind(int max_layers) : max_layers_(max_layers) {}

  std::vector<std::string> tasks() const override { return {}; }

  std::vector<std::string> measurement_names() const override {
    std::vector<std::string> names = {"depths",
                                      "induction_one_layer",
                                      "induction_deeper_min",
                                      "width_deeper_max",
                                      "jump_width_deeper_max",
                                      "together_deeper",
                                      "repeat_repeated_deepest",
                                      "layer_induction_one_layer",
                                      "layer_induction_deeper_min",
                                      "layer_induction_chance",
                                      "ablation_recovery_deeper_min"};
    for (int l = 1; l <= max_layers_; ++l)
      for (const char* what : {"induction", "peak", "phase_step", "width", "jump_width",
                               "repeat_before", "repeat_after", "repeat_first", "repeat_repeated",
                               "together", "icl", "layer_induction", "ablation_recovery"})
        names.push_back(fmt::format("{}_L{}", what, l));
    return names;
  }

  Measurements measure(const results::ResultSet& results) const override {
    // Per depth: the circuit summaries of the completed runs that were probed.
    std::map<int, std::vector<results::RunCircuit>> by_depth;
    for (const results::RunResults& run : results.runs) {
      const results::CheckpointResults* last = run.last();
      if (!run.completed() || last == nullptr || last->probes.empty()) continue;
      by_depth[run.shape().layers].push_back(results::describe_circuit(run));
    }
    Measurements out, table;
    double one_layer = NAN, deeper_min = NAN, width_max = NAN, jump_max = NAN, together = NAN;
    double repeated_deepest = NAN, layer_one = NAN, layer_deeper_min = NAN, chance = NAN;
    double recovery_min = NAN;
    for (const auto& [layers, circuits] : by_depth) {
      const std::vector<results::RunCircuit>& runs = circuits;  // lambdas cannot capture bindings
      auto values_of = [&runs](double results::RunCircuit::*member) {
        std::vector<double> values;
        for (const results::RunCircuit& r : runs) values.push_back(r.*member);
        return values;
      };
      auto field = [&](double results::RunCircuit::*member) { return mean(values_of(member)); };
      // A measure's mean over the depth's seeds, with its 95% interval over them (none for one).
      auto add_seeds = [&](const std::string& name, double results::RunCircuit::*member,
                           const std::string& about) {
        const std::vector<double> values = values_of(member);
        const analysis::Interval seeds = analysis::seed_mean_interval(values);
        table.add(name, mean(values), about, seeds.lower, seeds.upper);
      };
      const double induction = field(&results::RunCircuit::final_induction);
      const double width = field(&results::RunCircuit::width);
      const double jump = field(&results::RunCircuit::jump_width);
      const double both = field(&results::RunCircuit::together);
      const double repeated = field(&results::RunCircuit::repeat_repeated);
      const std::string of =
          fmt::format("{} layer(s), mean over {} run(s) (interval: mean ± t · sd / √n over them)",
                      layers, runs.size());
      add_seeds(fmt::format("induction_L{}", layers), &results::RunCircuit::final_induction,
                "best head's induction score at the final checkpoint, " + of);
      add_seeds(fmt::format("peak_L{}", layers), &results::RunCircuit::peak_induction,
                "highest best-layer induction score over training (heads may fade later), " + of);
      add_seeds(fmt::format("phase_step_L{}", layers), &results::RunCircuit::phase_step,
                "step of the steepest rise of the best layer's induction score (log steps), " + of);
      add_seeds(fmt::format("width_L{}", layers), &results::RunCircuit::width,
                "steps from 10% to 90% of that rise as a fraction of its step, " + of);
      add_seeds(fmt::format("jump_width_L{}", layers), &results::RunCircuit::jump_width,
                "the same width for the jump alone: the rise up to its value at twice its "
                "steepest step, " +
                    of);
      add_seeds(fmt::format("repeat_before_L{}", layers), &results::RunCircuit::repeat_before,
                "loss on repeated copies at the last probe before the rise's 10% point, " + of);
      add_seeds(fmt::format("repeat_after_L{}", layers), &results::RunCircuit::repeat_after,
                "loss on repeated copies at the first probe after the rise's 90% point, " + of);
      add_seeds(fmt::format("repeat_first_L{}", layers), &results::RunCircuit::repeat_first,
                "final loss on the first copy of the probe's blocks, " + of);
      add_seeds(fmt::format("repeat_repeated_L{}", layers), &results::RunCircuit::repeat_repeated,
                "final loss on the repeated copies, " + of);
      add_seeds(fmt::format("together_L{}", layers), &results::RunCircuit::together,
                "1 when the repeated-copy loss fell steepest within a factor 2 of the score's "
                "steepest rise, " +
                    of);
      add_seeds(fmt::format("icl_L{}", layers), &results::RunCircuit::icl,
                "final in-context-learning score (late minus early loss), " + of);
      const double layer_sum = field(&results::RunCircuit::layer_induction);
      const double recovery = field(&results::RunCircuit::ablation_recovery);
      add_seeds(
          fmt::format("layer_induction_L{}", layers), &results::RunCircuit::layer_induction,
          "largest summed induction score of one layer's heads at the final checkpoint, " + of);
      add_seeds(fmt::format("ablation_recovery_L{}", layers),
                &results::RunCircuit::ablation_recovery,
                "share of the gap between the repeated and the first copy's loss that "
                "mean-ablating that layer's attention restores, " +
                    of);
      const double layer_chance = field(&results::RunCircuit::layer_induction_chance);
      keep_highest(chance, layer_chance);
      if (layers == 1) {
        one_layer = induction;
        layer_one = layer_sum;
      } else {
        keep_lowest(layer_deeper_min, layer_sum);
        keep_lowest(recovery_min, recovery);
        keep_lowest(deeper_min, induction);
        keep_highest(width_max, width);
        keep_highest(jump_max, jump);
        keep_lowest(together, both);
      }
      repeated_deepest = repeated;  // by_depth is ordered: the last is the deepest
    }
    out.add("depths", double(by_depth.size()), "depths (layer counts) with a completed probed run");
    out.add("induction_one_layer", one_layer,
            "best head's induction score at the end in the one-layer model(s)");
    out.add("induction_deeper_min", deeper_min,
            "lowest, over the models of 2 or more layers, of the best head's final induction "
            "score");
    out.add("width_deeper_max", width_max,
            "widest phase change (10-90% steps / step) among the models of 2 or more layers");
    out.add("jump_width_deeper_max", jump_max,
            "widest jump (10-90% of the rise up to twice its steepest step, over that step) "
            "among the models of 2 or more layers");
    out.add("together_deeper", together,
            "1 when in every model of 2 or more layers the repeated-copy loss fell within a "
            "factor 2 of the step where the induction score rose");
    // Attending evenly to the whole first copy already brings this loss to ln(block) (3.0 nats
    // for 20 tokens) without any induction: only a loss well below that shows real copying.
    out.add("repeat_repeated_deepest", repeated_deepest,
            "final loss on the repeated copies of the probe's blocks (of a length training never "
            "used) in the deepest model; ln(block) without copying beyond the block's tokens");
    out.add("layer_induction_one_layer", layer_one,
            "summed induction score of the one-layer model's heads at the end");
    out.add("layer_induction_deeper_min", layer_deeper_min,
            "lowest, over the models of 2 or more layers, of the largest summed induction score "
            "of one layer's heads at the end");
    out.add("layer_induction_chance", chance,
            "the summed score of a layer whose heads attend evenly to every earlier position "
            "(heads × (H_2L − H_L)/L for blocks of L repeated twice; the largest over the models)");
    out.add("ablation_recovery_deeper_min", recovery_min,
            "lowest, over the models of 2 or more layers, of (repeated-copy loss with the "
            "highest-scoring layer's attention mean-ablated − intact) / (first-copy loss − "
            "intact): how much of the copying that layer does");
    for (const Measurement& m : table.all()) out.add(m.name, m.value, m.about, m.lower, m.upper);
    return out;
  }

  std::optional<SimulatedEffects> simulated_effects() const override {
    return SimulatedEffects{
        "in models of 2+ layers the best head jumps from chance to 0.6 within a factor 1.5 of "
        "steps (at a random point of the middle of training), then sharpens slowly to 0.9, and "
        "the other heads of its layer copy a little too (up to U(0.05, 0.2) each), while the "
        "repeated-copy loss falls from 2.9 to 0.7 at the same steps; mean-ablating that layer "
        "restores U(0.6, 0.95) of the first copy's loss; the 1-layer model's heads stay at "
        "chance (the uniform head's induction score)",
        "the claim fails in one of three ways (a third of the simulations each): the heads of "
        "2+ layers form gradually (a straight rise over log steps across the whole run), the "
        "1-layer model forms one as well, or the heads of the deeper models' last layer all "
        "rise abruptly to U(0.15, 0.35) each with the loss, but ablating the layer restores "
        "none of the first copy's loss (-0.05 to 0.1: the copying is done elsewhere)"};
  }

  void simulate(results::ResultSet& planned, Effect effect, Rng& rng) const override {
    const double failure = rng.uniform();
    const bool absent = effect == Effect::kAbsent;
    const bool gradual = absent && failure < 1.0 / 3;
    const bool shallow_forms = absent && failure >= 1.0 / 3 && failure < 2.0 / 3;
    const bool decoy = absent && failure >= 2.0 / 3;
    for (results::RunResults& run : planned.runs) {
      const results::Architecture& shape = run.shape();
      const bool forms = shape.layers >= 2 || shallow_forms;
      const double chance = head_chance(run);
      const double first = std::log(double(std::max<int64_t>(run.checkpoints.front().row.step, 1)));
      const double last = std::log(double(std::max<int64_t>(run.checkpoints.back().row.step, 2)));
      // The jump's middle, in log step, somewhere in the middle half of training.
      const double centre = first + (last - first) * (0.25 + 0.5 * rng.uniform());
      const double half_width = std::log(1.5) / 2;
      // What each head of the last layer reaches beyond chance, and what ablating a layer
      // restores of the first copy's loss once the heads have formed.
      std::vector<double> reach(size_t(shape.heads));
      for (size_t h = 0; h < reach.size(); ++h)
        reach[h] = decoy ? 0.15 + 0.2 * rng.uniform() : 0.05 + 0.15 * rng.uniform();
      const double recovery = decoy ? -0.05 + 0.15 * rng.uniform() : 0.6 + 0.35 * rng.uniform();
      for (results::CheckpointResults& c : run.checkpoints) {
        if (c.row.step <= 0) continue;
        const double at = std::log(double(c.row.step));
        // Progress of the change: a jump with a slow tail, or a straight rise in log step.
        double jump = 0, tail = 0;
        if (gradual) {
          jump = std::clamp((at - first) / (last - first), 0.0, 1.0);
          tail = jump;
        } else {
          jump = std::clamp((at - (centre - half_width)) / (2 * half_width), 0.0, 1.0);
          tail = at > centre ? (at - centre) / std::max(last - centre, 1e-9) : 0.0;
        }
        const double best_score = forms ? (gradual ? 0.85 * tail : 0.55 * jump + 0.3 * tail) : 0.0;
        for (int layer = 0; layer < shape.layers; ++layer)
          for (int head = 0; head < shape.heads; ++head) {
            // The copying sits in the last layer; the other layers' heads stay at chance.
            double above_chance = 0;
            if (forms && layer == shape.layers - 1)
              above_chance =
                  decoy || head > 0 ? reach[size_t(head)] * (gradual ? tail : jump) : best_score;
            const double value = chance + above_chance + 0.015 * rng.normal();
            c.probes.push_back({"induction", layer, head, std::clamp(value, 0.0, 1.0), 1});
          }
        const double repeated = forms ? 2.9 - 2.2 * (gradual ? tail : jump) : 2.9;
        const double first_copy = 2.85 + 0.03 * rng.normal();
        c.probes.push_back({"repeat_loss_first", -1, -1, first_copy, 1});
        c.probes.push_back({"repeat_loss_repeated", -1, -1, repeated + 0.03 * rng.normal(), 1});
        c.probes.push_back({"icl_score", -1, -1, repeated - 2.85 + 0.03 * rng.normal(), 1});
        c.probes.push_back({"induction_chance", -1, -1, chance, 1});
        for (int layer = 0; layer < shape.layers; ++layer) {
          const double ablated = repeated + recovery * (first_copy - repeated);
          c.probes.push_back({"repeat_loss_ablated", layer, -1, ablated + 0.03 * rng.normal(), 1});
        }
      }
    }
  }

 private:
  // The induction score of a head attending evenly, for the probe batch this run's plan resolves.
  static double head_chance(const results::RunResults& run) {
    const sweep::RunSpec spec = sweep::run_spec_from_stored(run.row.plan);
    const probe::ProbeOptions probes =
        spec.probes.value_or(probe::ProbeOptions{}).resolved_for(spec.config.model);
    return probe::uniform_induction_score(probes.block, probes.repeats);
  }

  int max_layers_;
};

}  // namespace

std::unique_ptr<StudyKind> make_induction_kind(io::TomlSection& analysis) {
  int max_layers = 4;
  analysis.read("max_layers", max_layers);
  if (max_layers < 1) analysis.invalid("max_layers", "expected at least 1");
  return std::make_unique<InductionKind>(max_layers);
}

}  // namespace emlab::study
