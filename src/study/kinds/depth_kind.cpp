// depth: does solving more hops need more layers? (Sanford, Hsu & Telgarsky 2024,
// arXiv:2402.09268: k-hop induction needs depth that grows like log k; GPT-2 blocks of width 128
// trained on a label at every position solved about twice as many hops per added layer.) For each
// depth among the completed runs, the hop_accuracy probe's accuracy on every k = 0..max_hops at
// the final checkpoint, and the largest k >= 1 solved with error at most `max_error` together with
// every smaller k >= 1 (k = 0, the current letter, is a control). Holds when that staircase grows
// with depth beyond the 2 layers that one hop (an induction head) needs.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "probe/probe_registry.hpp"
#include "results/depth_summary.hpp"
#include "study/simulated_design.hpp"
#include "study/study_kind.hpp"
#include "train/hop_stream.hpp"

namespace emlab::study {

namespace {

// Labelled positions per k of the hop probe at a run's design: its held-out rows times the
// positions of a string of its context whose k hops stay inside the string (strings drawn here).
std::vector<int64_t> probe_positions(const results::RunResults& run, int max_hops) {
  const auto config = nlohmann::json::parse(run.row.plan.config_json, nullptr, false);
  const auto schedule = nlohmann::json::parse(run.row.plan.schedule_json, nullptr, false);
  int context = 64, letters = 4, rows = 64;
  if (!config.is_discarded()) {
    context = config["model"].value("context", context);
    letters = config["data"].value("letters", letters);
  }
  if (!schedule.is_discarded() && schedule.contains("probes"))
    rows = schedule["probes"].value("icl_rows", rows);
  std::vector<int64_t> positions(size_t(max_hops + 1), 0);
  Rng rng(1);
  for (int r = 0; r < rows; ++r) {
    const std::vector<int> s = train::random_hop_string(rng, context - 1, letters);
    for (int k = 0; k <= max_hops; ++k)
      for (const int p : train::hop_positions(s, k)) positions[size_t(k)] += p >= 0 ? 1 : 0;
  }
  return positions;
}

class DepthKind final : public StudyKind {
 public:
  DepthKind(results::DepthSetting setting, int max_layers)
      : setting_(std::move(setting)), max_layers_(max_layers) {}

  std::vector<std::string> tasks() const override { return {}; }  // probes, not tasks

  std::vector<std::string> measurement_names() const override {
    std::vector<std::string> names = {"depths",
                                      "staircase_grows",
                                      "strictly_grows",
                                      "largest_k_shallowest",
                                      "largest_k_deepest",
                                      "growth_per_layer",
                                      "control_k0_min"};
    for (int l = 1; l <= max_layers_; ++l) {
      names.push_back(fmt::format("largest_k_L{}", l));
      for (const int k : setting_.ks()) names.push_back(fmt::format("accuracy_L{}_k{}", l, k));
    }
    return names;
  }

  Measurements measure(const results::ResultSet& results) const override {
    Measurements out, table;
    std::vector<std::pair<int, int>> staircase;  // (layers, largest solved k)
    const std::vector<int> ks = setting_.ks();
    double control = NAN;
    for (const results::DepthRow& row : results::depth_staircase(results, setting_)) {
      for (size_t i = 0; i < ks.size(); ++i)
        table.add(fmt::format("accuracy_L{}_k{}", row.layers, ks[i]), row.accuracy[i],
                  fmt::format("share of labelled positions of held-out strings right at k = {} "
                              "at the final checkpoint, {} layer(s), mean over its seeds "
                              "(interval: mean ± t · sd / √n over them)",
                              ks[i], row.layers),
                  row.seeds[i].lower, row.seeds[i].upper);
      if (!row.accuracy.empty() && (std::isnan(control) || !(row.accuracy[0] >= control)))
        control = row.accuracy[0];
      staircase.emplace_back(row.layers, row.largest_k);
      out.add(fmt::format("largest_k_L{}", row.layers), row.largest_k,
              fmt::format("largest k with error <= {} on every k = 1..k, {} layer(s) (0: not "
                          "even k = 1)",
                          setting_.max_error, row.layers));
    }
    out.add("depths", double(staircase.size()), "depths (layer counts) with a completed run");
    out.add("control_k0_min", control,
            "lowest accuracy on k = 0 (the current letter itself) over the depths: the trivial "
            "control every model should pass");
    bool grows = staircase.size() >= 2, strictly = grows;
    for (size_t i = 1; i < staircase.size(); ++i) {
      grows = grows && staircase[i].second >= staircase[i - 1].second;
      strictly = strictly && staircase[i].second > staircase[i - 1].second;
    }
    const double first = staircase.empty() ? NAN : double(staircase.front().second);
    const double last = staircase.empty() ? NAN : double(staircase.back().second);
    grows = grows && last > first;
    out.add("staircase_grows", staircase.size() < 2 ? NAN : double(grows),
            "1 when the largest solved k never falls with depth and the deepest model solves more "
            "than the shallowest");
    out.add("strictly_grows", staircase.size() < 2 ? NAN : double(strictly),
            "1 when every added layer solves a larger k");
    out.add("largest_k_shallowest", first, "largest solved k of the shallowest model");
    out.add("largest_k_deepest", last, "largest solved k of the deepest model");
    // Sanford et al.'s shape: k about doubles per layer (growth 2). Defined when the shallowest
    // model solves at least k = 1.
    double growth = NAN;
    if (staircase.size() >= 2 && first >= 1) {
      const double layers = staircase.back().first - staircase.front().first;
      growth = std::pow(last / first, 1.0 / layers);
    }
    out.add("growth_per_layer", growth,
            "(largest k deepest / shallowest)^(1 / layers added): about 2 in Sanford et al. 2024; "
            "a floor when the deepest solves every k offered");
    for (const Measurement& m : table.all()) out.add(m.name, m.value, m.about, m.lower, m.upper);
    return out;
  }

  std::optional<SimulatedEffects> simulated_effects() const override {
    return SimulatedEffects{
        "the 1-layer model solves no k >= 1; L >= 2 layers solve k up to floor(2^(L-1) g) (at most "
        "the largest k offered), g ~ U(0.5, 1.5) drawn per depth: about doubling per layer; a "
        "solved k is right at 1 - U(0, 0.03) of the positions, an unsolved one at U(0.3, 0.9), k = "
        "0 at 1 - U(0, 0.01); each a proportion over the probe's labelled positions",
        "one largest k for every depth, uniform over 1..max k (half the worlds: the 1-layer model "
        "too; the other half: it solves nothing, so only the step to 2 layers, one induction "
        "head, helps); accuracies as in the other world"};
  }

  void simulate(results::ResultSet& planned, Effect effect, Rng& rng) const override {
    const int max_k = setting_.max_hops;
    const int shared = 1 + int(rng.below(uint64_t(max_k)));
    const bool one_layer_fails = rng.uniform() < 0.5;
    std::map<int, int> solved;  // layers -> largest k solved, one draw per depth
    for (results::RunResults& run : planned.runs) {
      const int layers = run.shape().layers;
      if (!solved.count(layers)) {
        int k = shared;
        if (effect == Effect::kPresent)
          k = layers == 1 ? 0 : int(std::floor(std::pow(2.0, layers - 1) * (0.5 + rng.uniform())));
        else if (layers == 1 && one_layer_fails)
          k = 0;
        solved[layers] = std::min(k, max_k);
      }
      const std::vector<int64_t> positions = probe_positions(run, max_k);
      results::CheckpointResults& last = run.checkpoints.back();
      for (int k = 0; k <= max_k; ++k) {
        const double p = k == 0                   ? 1 - 0.01 * rng.uniform()
                         : k <= solved.at(layers) ? 1 - 0.03 * rng.uniform()
                                                  : 0.3 + 0.6 * rng.uniform();
        const int64_t n = positions[size_t(k)];
        last.probes.push_back(
            {probe::hop_accuracy_score(k), -1, -1, sample_proportion(p, n, rng), 1});
        last.probes.push_back({probe::hop_positions_score(k), -1, -1, double(n), 1});
      }
    }
  }

 private:
  results::DepthSetting setting_;
  int max_layers_;
};

}  // namespace

std::unique_ptr<StudyKind> make_depth_kind(io::TomlSection& analysis) {
  results::DepthSetting setting;  // its defaults are the report's Depth section's too
  int max_layers = 8;
  analysis.read("max_hops", setting.max_hops);
  analysis.read("max_error", setting.max_error);
  analysis.read("max_layers", max_layers);
  if (setting.max_hops < 1 || setting.max_hops > train::HopStream::kMaxHops)
    analysis.invalid("max_hops", fmt::format("expected 1 to {} (the hops stream's data.hops)",
                                             train::HopStream::kMaxHops));
  if (!(setting.max_error >= 0 && setting.max_error < 1))
    analysis.invalid("max_error", "expected [0, 1)");
  if (max_layers < 1) analysis.invalid("max_layers", "expected at least 1");
  return std::make_unique<DepthKind>(std::move(setting), max_layers);
}

}  // namespace emlab::study
