// scratchpad (Nye et al. 2021, arXiv:2112.00114; Wei et al. 2022; Wang et al. 2022,
// arXiv:2203.11171): do intermediate steps, and a majority vote over sampled reasoning chains,
// help only above a model size? Two arms over the same sizes and tokens: the task answered
// directly and with a scratchpad. The scratchpad's gain is its arm's exact match of the final
// answer minus the direct arm's (two models, so their errors add). Self-consistency's gain is, in
// the scratchpad arm, the majority final answer of the temperature samples minus the greedy one
// (the evaluator's self_consistency_gain: paired on the same examples). For each strategy, the
// gain per size and the smallest size from which it helps significantly at that and every larger
// size.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "results/scale_points.hpp"
#include "study/simulated_design.hpp"
#include "study/study_kind.hpp"

namespace emlab::study {

namespace {

constexpr double kNever = std::numeric_limits<double>::infinity();

struct Gain {
  double params = 0, gain = 0, standard_error = 0;
  bool helps() const { return gain > 2 * standard_error && gain > 0; }
};

// The smallest size from which every gain helps; inf when the largest size's does not.
double helps_from(const std::vector<Gain>& gains) {
  double from = kNever;
  for (auto it = gains.rbegin(); it != gains.rend() && it->helps(); ++it) from = it->params;
  return from;
}

// The gains at the sizes whose baseline (by size) leaves at least `room` of the examples wrong:
// where nearly every answer is already right there is nothing left to fix, and no gain to see.
std::vector<Gain> with_room(const std::vector<Gain>& gains,
                            const std::vector<results::ScalePoint>& baseline, double room) {
  std::map<double, double> wrong;
  for (const results::ScalePoint& p : baseline) wrong[p.params] = 1 - p.value;
  std::vector<Gain> out;
  for (const Gain& g : gains) {
    const auto found = wrong.find(g.params);
    if (found != wrong.end() && found->second >= room) out.push_back(g);
  }
  return out;
}

double standard_error(const results::ScalePoint& p) {
  if (std::isfinite(p.standard_error)) return p.standard_error;
  return p.n > 0 ? std::sqrt(std::max(p.value * (1 - p.value), 1e-12) / p.n) : NAN;
}

// Gains of b over a at the sizes both have; the two are independent measurements.
std::vector<Gain> gains(const std::vector<results::ScalePoint>& a,
                        const std::vector<results::ScalePoint>& b) {
  std::map<double, const results::ScalePoint*> by_size;
  for (const results::ScalePoint& p : a) by_size[p.params] = &p;
  std::vector<Gain> out;
  for (const results::ScalePoint& q : b) {
    const auto found = by_size.find(q.params);
    if (found == by_size.end()) continue;
    const results::ScalePoint& p = *found->second;
    out.push_back({q.params, q.value - p.value,
                   std::sqrt(std::pow(standard_error(p), 2) + std::pow(standard_error(q), 2))});
  }
  return out;
}

// Gains measured as one paired difference per size (its own standard error).
std::vector<Gain> paired_gains(const std::vector<results::ScalePoint>& differences) {
  std::vector<Gain> out;
  for (const results::ScalePoint& p : differences)
    out.push_back({p.params, p.value, p.standard_error});
  return out;
}

// ---- the simulator ------------------------------------------------------------------------------

double uniform(Rng& rng, double low, double high) {
  return low + (high - low) * rng.uniform();
}

// One strategy in one world: the share of the baseline's wrong answers it puts right at each size
// index 0..m-1 (0 where it does not help).
enum class Shape { kThreshold, kEverywhere, kNowhere };

std::vector<double> fixed_share(Shape shape, size_t m, double low, double high, Rng& rng) {
  std::vector<double> share(m, 0.0);
  if (shape == Shape::kNowhere || m == 0) return share;
  const double full = uniform(rng, low, high);
  const size_t from = shape == Shape::kThreshold && m > 1 ? 1 + rng.below(uint64_t(m - 1)) : 0;
  // Helping everywhere: about the same share at every size, or (half the worlds) most at the
  // smallest, falling to half of it at the largest, as the 3-digit run before issue #21 saw.
  const bool falling = shape == Shape::kEverywhere && rng.uniform() < 0.5;
  for (size_t i = from; i < m; ++i) {
    const double fall = falling && m > 1 ? 1 - 0.5 * double(i) / double(m - 1) : 1.0;
    share[i] = std::min(1.0, full * fall * uniform(rng, 0.8, 1.2));
  }
  return share;
}

// The share of the direct arm's errors the scratchpad fixes where it helps, and of the greedy
// scratchpad's errors the vote fixes (Wang et al. 2022, Table 2: 13-45% of the errors of greedy
// chain of thought at 137B-540B parameters on GSM8K, 3% at 20B).
constexpr double kPadLow = 0.25, kPadHigh = 0.95;
constexpr double kVoteLow = 0.15, kVoteHigh = 0.45;

class ScratchpadKind final : public StudyKind {
 public:
  ScratchpadKind(std::string direct_arm, std::string direct_task, std::string scratch_arm,
                 std::string scratch_task, double room)
      : direct_arm_(std::move(direct_arm)),
        direct_task_(std::move(direct_task)),
        scratch_arm_(std::move(scratch_arm)),
        scratch_task_(std::move(scratch_task)),
        room_(room) {}

  std::vector<std::string> tasks() const override { return {direct_task_, scratch_task_}; }
  std::vector<std::string> measurement_names() const override {
    std::vector<std::string> names = {"sizes",
                                      "self_consistency_sizes",
                                      "direct_exact_match_smallest",
                                      "direct_exact_match_largest",
                                      "scratchpad_exact_match_smallest",
                                      "scratchpad_exact_match_largest"};
    for (const char* strategy : {"scratchpad", "self_consistency"})
      for (const char* what :
           {"gain_smallest", "gain_largest", "helps_from", "helps_somewhere", "helps_at_smallest"})
        names.push_back(fmt::format("{}_{}", strategy, what));
    return names;
  }

  Measurements measure(const results::ResultSet& results) const override {
    const results::ResultSet direct = results::select_arm(results, direct_arm_);
    const results::ResultSet scratch = results::select_arm(results, scratch_arm_);
    const auto greedy = results::final_curve(direct, direct_task_, "exact_match");
    const auto stepwise = results::final_curve(scratch, scratch_task_, "exact_match");
    const auto voted = results::final_curve(scratch, scratch_task_, "self_consistency_gain");
    const std::vector<Gain> pad = gains(greedy, stepwise);
    const std::vector<Gain> vote = with_room(paired_gains(voted), stepwise, room_);
    Measurements out;
    out.add("sizes", double(pad.size()),
            "model sizes with both arms completed at the largest budget");
    out.add("self_consistency_sizes", double(vote.size()),
            fmt::format("sizes at which self-consistency is judged: the greedy scratchpad is "
                        "wrong on at least {} of the examples (room for a vote to fix)",
                        room_));
    const auto end = [](const std::vector<results::ScalePoint>& c, bool last) {
      return c.empty() ? NAN : (last ? c.back().value : c.front().value);
    };
    out.add("direct_exact_match_smallest", end(greedy, false),
            "exact match of the direct arm's smallest model");
    out.add("direct_exact_match_largest", end(greedy, true),
            "exact match of the direct arm's largest model");
    out.add("scratchpad_exact_match_smallest", end(stepwise, false),
            "exact match of the final answer, the scratchpad arm's smallest model (greedy)");
    out.add("scratchpad_exact_match_largest", end(stepwise, true),
            "exact match of the final answer, the scratchpad arm's largest model (greedy)");
    report(out, "scratchpad", pad,
           "exact match of the final answer with a scratchpad minus without (two arms)");
    report(out, "self_consistency", vote,
           "majority final answer of the sampled scratchpads minus the greedy one, scratchpad "
           "arm (paired over the same examples; sizes with room only)");
    return out;
  }

  std::optional<SimulatedEffects> simulated_effects() const override {
    return SimulatedEffects{
        fmt::format(
            "each strategy helps from a size drawn among all but the smallest: there the "
            "scratchpad puts right U({}, {}) of the direct arm's wrong answers and the vote "
            "U({}, {}) of the greedy scratchpad's (times U(0.8, 1.2) per size); below it neither "
            "fixes any. The direct arm scores U(0, 0.1) at the smallest size rising evenly to "
            "U(that, 0.4) at the largest; the vote also loses U(0, 0.05) of the greedy's right "
            "answers. Every example is drawn, so exact match and the vote's paired gain carry "
            "the design's sampling noise",
            kPadLow, kPadHigh, kVoteLow, kVoteHigh),
        "a third of the worlds each: the scratchpad helps at every size (about the same share "
        "at each, or in half of them most at the smallest, falling to half at the largest) "
        "while self-consistency has its threshold; self-consistency helps at every size while "
        "the scratchpad has its threshold; neither has one (each helps at every size or at "
        "none)"};
  }

  void simulate(results::ResultSet& planned, Effect effect, Rng& rng) const override {
    std::vector<double> sizes;
    for (const results::RunResults& run : planned.runs)
      sizes.push_back(double(run.row.plan.parameters));
    std::sort(sizes.begin(), sizes.end());
    sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
    const size_t m = sizes.size();

    Shape pad = Shape::kThreshold, vote = Shape::kThreshold;
    if (effect == Effect::kAbsent) {
      const uint64_t which = rng.below(3);
      const auto no_threshold = [&rng] {
        return rng.uniform() < 0.5 ? Shape::kEverywhere : Shape::kNowhere;
      };
      if (which == 0) pad = Shape::kEverywhere;
      if (which == 1) vote = Shape::kEverywhere;
      if (which == 2) pad = no_threshold(), vote = no_threshold();
    }
    const std::vector<double> pad_share = fixed_share(pad, m, kPadLow, kPadHigh, rng);
    const std::vector<double> vote_share = fixed_share(vote, m, kVoteLow, kVoteHigh, rng);
    const double direct_low = uniform(rng, 0, 0.1), direct_high = uniform(rng, direct_low, 0.4);
    const double lost = uniform(rng, 0, 0.05);

    for (results::RunResults& run : planned.runs) {
      const size_t i =
          size_t(std::lower_bound(sizes.begin(), sizes.end(), double(run.row.plan.parameters)) -
                 sizes.begin());
      const double direct_p =
          m > 1 ? direct_low + (direct_high - direct_low) * double(i) / double(m - 1) : direct_low;
      const int64_t n = evaluated_examples(run);
      auto& metrics = run.checkpoints.back().metrics;
      const std::string& name = run.row.plan.name;
      if (name.rfind(direct_arm_ + "-", 0) == 0) {
        metrics.push_back(
            proportion_row(direct_task_, "exact_match", sample_proportion(direct_p, n, rng), n));
      } else if (name.rfind(scratch_arm_ + "-", 0) == 0) {
        const double p = direct_p + pad_share[i] * (1 - direct_p);
        simulate_votes(metrics, p, vote_share[i], lost, n, rng);
      }
    }
  }

 private:
  static void report(Measurements& out, const std::string& name, const std::vector<Gain>& g,
                     const std::string& what) {
    const bool none = g.empty();
    const Gain first = none ? Gain{} : g.front(), last = none ? Gain{} : g.back();
    out.add(name + "_gain_smallest", none ? NAN : first.gain, what + ", at the smallest size",
            none ? NAN : first.gain - 2 * first.standard_error,
            none ? NAN : first.gain + 2 * first.standard_error);
    out.add(name + "_gain_largest", none ? NAN : last.gain, what + ", at the largest size",
            none ? NAN : last.gain - 2 * last.standard_error,
            none ? NAN : last.gain + 2 * last.standard_error);
    out.add(name + "_helps_from", none ? NAN : helps_from(g),
            "smallest size (parameters) from which the gain exceeds twice its standard error at "
            "that and every larger size (inf: not even at the largest)");
    const bool somewhere = std::any_of(g.begin(), g.end(), [](const Gain& x) { return x.helps(); });
    out.add(name + "_helps_somewhere", none ? NAN : (somewhere ? 1 : 0),
            "1 when the gain exceeds twice its standard error at some size");
    out.add(name + "_helps_at_smallest", none ? NAN : (first.helps() ? 1 : 0),
            "1 when it already helps at the smallest size");
  }

  // The scratchpad arm's rows over n examples: the greedy answer is right with probability p;
  // the vote puts right a share `fixed` of the wrong ones and loses a share `lost` of the right
  // ones, drawn per example so that the paired difference has its real spread.
  void simulate_votes(std::vector<store::MetricRow>& metrics, double p, double fixed, double lost,
                      int64_t n, Rng& rng) const {
    int64_t right = 0, voted = 0;
    double sum = 0, squares = 0;
    for (int64_t e = 0; e < n; ++e) {
      const bool greedy = rng.uniform() < p;
      const bool vote = greedy ? rng.uniform() >= lost : rng.uniform() < fixed;
      const double d = double(vote) - double(greedy);
      right += greedy, voted += vote, sum += d, squares += d * d;
    }
    // As the evaluator reports it: the sample standard deviation over sqrt(n).
    const double mean = sum / double(n);
    const double variance = n > 1 ? (squares - double(n) * mean * mean) / double(n - 1) : 0.0;
    metrics.push_back(proportion_row(scratch_task_, "exact_match", double(right) / double(n), n));
    metrics.push_back(
        proportion_row(scratch_task_, "self_consistency", double(voted) / double(n), n));
    store::MetricRow row = continuous_row(scratch_task_, "self_consistency_gain", mean,
                                          std::sqrt(std::max(variance, 0.0) / double(n)), n);
    row.continuous = false;
    metrics.push_back(row);
  }

  std::string direct_arm_, direct_task_, scratch_arm_, scratch_task_;
  double room_;
};

}  // namespace

std::unique_ptr<StudyKind> make_scratchpad_kind(io::TomlSection& analysis) {
  std::string direct_arm = "direct", scratch_arm = "scratch", direct_task, scratch_task;
  double room = 0.1;
  analysis.read("direct_arm", direct_arm);
  analysis.read("scratchpad_arm", scratch_arm);
  analysis.read("direct_task", direct_task);
  analysis.read("scratchpad_task", scratch_task);
  analysis.read("self_consistency_room", room);
  if (direct_task.empty()) analysis.invalid("direct_task", "name the task answered directly");
  if (scratch_task.empty())
    analysis.invalid("scratchpad_task", "name the same task with scratchpad=true");
  if (!(room >= 0 && room < 1)) analysis.invalid("self_consistency_room", "expected [0, 1)");
  return std::make_unique<ScratchpadKind>(direct_arm, direct_task, scratch_arm, scratch_task, room);
}

}  // namespace emlab::study
