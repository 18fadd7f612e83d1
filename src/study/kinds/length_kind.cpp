// length: do longer problems emerge later? For each task of a family ordered by length (n-digit
// addition, n = 1 … 5), the smallest training compute, and the smallest model at the largest
// budget, at which a metric first reaches a stated level. Holds when the crossing grows with n.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "results/scale_points.hpp"
#include "study/simulated_design.hpp"
#include "study/study_kind.hpp"

namespace emlab::study {

namespace {

constexpr double kNever = std::numeric_limits<double>::infinity();

class LengthKind final : public StudyKind {
 public:
  LengthKind(std::vector<std::string> tasks, std::string metric, double level)
      : tasks_(std::move(tasks)), metric_(std::move(metric)), level_(level) {}

  std::vector<std::string> tasks() const override { return tasks_; }
  std::vector<std::string> measurement_names() const override {
    std::vector<std::string> names = {"lengths", "crossed", "ordered_pair_fraction",
                                      "strictly_ordered_pair_fraction", "shortest_before_longest"};
    for (size_t i = 0; i < tasks_.size(); ++i) {
      names.push_back(fmt::format("crossing_flops_{}", i + 1));
      names.push_back(fmt::format("crossing_params_{}", i + 1));
    }
    return names;
  }

  Measurements measure(const results::ResultSet& results) const override {
    Measurements out, per_task;
    std::vector<double> crossing;  // compute at which each task first reaches the level
    int crossed = 0;
    for (size_t i = 0; i < tasks_.size(); ++i) {
      double flops = kNever, params = kNever;
      bool measured = false;
      for (const results::ScalePoint& p : results::final_points(results, tasks_[i], metric_)) {
        measured = true;
        if (p.value >= level_) flops = std::min(flops, p.flops);
      }
      for (const results::ScalePoint& p : results::final_curve(results, tasks_[i], metric_))
        if (p.value >= level_) params = std::min(params, p.params);
      if (!measured) flops = params = NAN;
      crossed += std::isfinite(flops) ? 1 : 0;
      crossing.push_back(flops);
      per_task.add(
          fmt::format("crossing_flops_{}", i + 1), flops,
          fmt::format("{}: least training compute (FLOPs) of a completed run whose {} reached "
                      "{} (inf: none did)",
                      tasks_[i], metric_, level_));
      per_task.add(fmt::format("crossing_params_{}", i + 1), params,
                   fmt::format("{}: smallest model at the largest budget whose {} reached {}",
                               tasks_[i], metric_, level_));
    }
    out.add("lengths", double(tasks_.size()), "tasks, from the shortest to the longest");
    out.add("crossed", double(crossed), fmt::format("tasks whose {} reached {}", metric_, level_));
    // Pairs (shorter, longer) in which the shorter crosses no later; pairs that never cross are
    // ties and are left out.
    int ordered = 0, strictly = 0, pairs = 0;
    bool any_nan = false;
    for (size_t a = 0; a < crossing.size(); ++a)
      for (size_t b = a + 1; b < crossing.size(); ++b) {
        if (std::isnan(crossing[a]) || std::isnan(crossing[b])) {
          any_nan = true;
          continue;
        }
        if (std::isinf(crossing[a]) && std::isinf(crossing[b])) continue;
        ++pairs;
        ordered += crossing[a] <= crossing[b] ? 1 : 0;
        strictly += crossing[a] < crossing[b] ? 1 : 0;
      }
    out.add("ordered_pair_fraction", pairs > 0 && !any_nan ? double(ordered) / pairs : NAN,
            fmt::format("share of {} (shorter, longer) pairs in which the shorter task crosses "
                        "no later (pairs where neither crosses left out)",
                        pairs));
    out.add("strictly_ordered_pair_fraction",
            pairs > 0 && !any_nan ? double(strictly) / pairs : NAN,
            "the same, counting a pair only when the shorter task crosses at strictly less "
            "compute (the same runs crossing both is a tie, not an order)");
    const bool ends = !crossing.empty() && std::isfinite(crossing.front());
    out.add(
        "shortest_before_longest",
        crossing.size() < 2 || any_nan ? NAN : (ends && crossing.front() < crossing.back() ? 1 : 0),
        "1 when the shortest task crosses at less compute than the longest (or the longest "
        "never does)");
    for (const Measurement& m : per_task.all()) out.add(m.name, m.value, m.about);
    return out;
  }

  std::optional<SimulatedEffects> simulated_effects() const override {
    return SimulatedEffects{
        "each task's score is a logistic in log10 training compute (width 0.15 decades) whose "
        "midpoint moves up evenly with the task's length, from 15% to 95% of the design's "
        "compute range (so the longest may never cross), with seed noise of 0.05 decades and "
        "binomial noise over the design's examples",
        "the same logistic for every task, at one midpoint drawn from 30-70% of the range: "
        "length does not change the compute an ability needs"};
  }

  void simulate(results::ResultSet& planned, Effect effect, Rng& rng) const override {
    double lowest = INFINITY, highest = -INFINITY;
    for (const results::RunResults& run : planned.runs) {
      lowest = std::min(lowest, std::log10(run.checkpoints.back().row.flops));
      highest = std::max(highest, std::log10(run.checkpoints.back().row.flops));
    }
    const double range = std::max(highest - lowest, 1e-9);
    const double shared = lowest + range * (0.3 + 0.4 * rng.uniform());
    const size_t k = tasks_.size();
    for (results::RunResults& run : planned.runs) {
      const double compute = std::log10(run.checkpoints.back().row.flops) + 0.05 * rng.normal();
      const int64_t n = evaluated_examples(run);
      for (size_t i = 0; i < k; ++i) {
        const double centre = effect == Effect::kPresent
                                  ? lowest + range * (0.15 + 0.8 * double(i) / double(k - 1))
                                  : shared;
        const double p = 1 / (1 + std::exp(-(compute - centre) / 0.15));
        run.checkpoints.back().metrics.push_back(
            proportion_row(tasks_[i], metric_, sample_proportion(p, n, rng), n));
      }
    }
  }

 private:
  std::vector<std::string> tasks_;
  std::string metric_;
  double level_;
};

}  // namespace

std::unique_ptr<StudyKind> make_length_kind(io::TomlSection& analysis) {
  std::vector<std::string> tasks;
  std::string metric = "exact_match";
  double level = 0.5;
  analysis.read("tasks", tasks);
  analysis.read("metric", metric);
  analysis.read("level", level);
  if (tasks.size() < 2) analysis.invalid("tasks", "give at least two tasks, shortest first");
  if (!(level > 0 && level <= 1)) analysis.invalid("level", "expected a level in (0, 1]");
  return std::make_unique<LengthKind>(tasks, metric, level);
}

}  // namespace emlab::study
