// mirage (Schaeffer et al. 2023): is a sharp rise of a 0/1 metric made by the metric? On the same
// models and outputs, compare exact match's breakthroughness with that of two continuous metrics
// (token edit distance, answer log-probability), and check exact match against p^L, p the token
// accuracy and L the answer's length in tokens.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "analysis/emergence_measures.hpp"
#include "analysis/mirage.hpp"
#include "results/scale_points.hpp"
#include "study/simulated_design.hpp"
#include "study/study_kind.hpp"

namespace emlab::study {

namespace {

class MirageKind final : public StudyKind {
 public:
  explicit MirageKind(std::string task) : task_(std::move(task)) {}

  std::vector<std::string> tasks() const override { return {task_}; }
  std::vector<std::string> measurement_names() const override {
    return {"sizes",
            "exact_match_rise",
            "exact_match_breakthroughness",
            "edit_distance_breakthroughness",
            "logprob_breakthroughness",
            "continuous_breakthroughness",
            "exact_match_jump_share",
            "edit_distance_jump_share",
            "pl_inside_fraction",
            "pl_rmse",
            "pl_mean_difference"};
  }

  Measurements measure(const results::ResultSet& results) const override {
    Measurements out;
    const auto em = results::final_curve(results, task_, "exact_match");
    const double budget = em.empty() ? 0 : em.front().tokens;
    out.add("sizes", double(em.size()),
            fmt::format("model sizes with a completed run at the largest budget ({:.3g} tokens)",
                        budget));
    auto breakthrough = [&](const char* metric) {
      const auto curve = results::final_curve(results, task_, metric);
      return curve.size() >= 3 ? analysis::breakthroughness(results::improvement(curve, metric))
                               : NAN;
    };
    const double b_em = breakthrough("exact_match");
    const double b_edit = breakthrough("token_edit_distance");
    const double b_logprob = breakthrough("target_logprob");
    auto jump = [&](const char* metric) {
      const auto curve = results::final_curve(results, task_, metric);
      return curve.size() >= 3 ? analysis::jump_share(results::improvement(curve, metric)) : NAN;
    };
    out.add("exact_match_jump_share", jump("exact_match"),
            "largest rise between neighbouring sizes as a share of exact match's whole rise "
            "(1/(m − 1) for a straight climb over m sizes, 1 for a single jump)");
    out.add("edit_distance_jump_share", jump("token_edit_distance"),
            "the same for token edit distance (turned so that up is better)");
    out.add("exact_match_rise", em.size() >= 2 ? em.back().value - em.front().value : NAN,
            "exact match of the largest model minus that of the smallest");
    out.add("exact_match_breakthroughness", b_em,
            "BIG-bench breakthroughness of exact match over size (a straight climb over m sizes "
            "gives m − 1)");
    out.add("edit_distance_breakthroughness", b_edit,
            "breakthroughness of token edit distance (turned so that up is better)");
    out.add("logprob_breakthroughness", b_logprob,
            "breakthroughness of the answer's log-probability");
    out.add("continuous_breakthroughness",
            std::isnan(b_edit)      ? b_logprob
            : std::isnan(b_logprob) ? b_edit
                                    : std::max(b_edit, b_logprob),
            "the sharper of the two continuous metrics' breakthroughness");

    // p^L over every completed run's final checkpoint (all budgets).
    std::vector<analysis::MirageInput> inputs;
    const auto length = results.answer_tokens.find(task_);
    if (length != results.answer_tokens.end()) {
      const auto accuracy = results::final_points(results, task_, "token_accuracy");
      const auto exact = results::final_points(results, task_, "exact_match");
      for (size_t i = 0; i < std::min(accuracy.size(), exact.size()); ++i)
        inputs.push_back({accuracy[i].value, length->second, exact[i].value, exact[i].n});
    }
    double inside = NAN, rmse = NAN, mean_difference = NAN;
    if (!inputs.empty()) {
      const analysis::MirageCheck check = analysis::mirage_check(inputs);
      inside = check.consistent_fraction;
      rmse = check.rmse;
      mean_difference = 0;
      for (const auto& row : check.rows)
        mean_difference +=
            (row.predicted_exact_match - row.observed_exact_match) / double(check.rows.size());
    }
    out.add(
        "pl_inside_fraction", inside,
        fmt::format("share of {} final checkpoints whose exact match's 95% Wilson interval "
                    "holds p^L (p token accuracy, L = {:.3g} answer tokens)",
                    inputs.size(), length != results.answer_tokens.end() ? length->second : 0.0));
    out.add("pl_rmse", rmse, "root mean square of p^L − observed exact match");
    out.add("pl_mean_difference", mean_difference,
            "mean of p^L − observed exact match (positive: p^L above the observation)");
    return out;
  }

  std::optional<SimulatedEffects> simulated_effects() const override {
    return SimulatedEffects{
        "per-token accuracy p rises in a straight line over log size (from U(0.25, 0.45) to "
        "U(0.8, 0.95)), less at smaller budgets; exact match = p^L with binomial noise",
        "the ability truly appears at one size: per-token accuracy itself jumps (from the same "
        "low level to the same high one) between two neighbouring sizes chosen at random, so "
        "every metric of the outputs jumps there"};
  }

  void simulate(results::ResultSet& planned, Effect effect, Rng& rng) const override {
    const auto length = planned.answer_tokens.find(task_);
    const double L = length != planned.answer_tokens.end() ? length->second : 3;
    const std::vector<double> sizes = distinct_sizes(
        planned, [](const results::RunResults& r) { return double(r.row.plan.parameters); });
    const std::vector<double> budgets = distinct_sizes(
        planned, [](const results::RunResults& r) { return double(r.row.plan.tokens); });
    const double low = 0.25 + 0.2 * rng.uniform(), high = 0.8 + 0.15 * rng.uniform();
    const double gap = std::floor(rng.uniform() * double(std::max<size_t>(sizes.size() - 1, 1)));
    const bool token_jump = effect == Effect::kAbsent;
    for (results::RunResults& run : planned.runs) {
      const double x = position(sizes, double(run.row.plan.parameters));
      const double b = position(budgets, double(run.row.plan.tokens));
      const double seed_noise = 0.02 * rng.normal();
      const bool above_gap = x * double(sizes.size() - 1) > gap;
      const double full = token_jump ? double(above_gap) : x;
      const double p =
          std::clamp(low + (high - low) * full * (0.6 + 0.4 * b) + seed_noise, 0.01, 0.99);
      const int64_t n = evaluated_examples(run);
      const double tokens = std::max(1.0, std::round(double(n) * L));
      auto& metrics = run.checkpoints.back().metrics;
      metrics.push_back(
          proportion_row(task_, "exact_match", sample_proportion(std::pow(p, L), n, rng), n));
      const double accuracy = sample_proportion(p, int64_t(tokens), rng);
      metrics.push_back(continuous_row(task_, "token_accuracy", accuracy,
                                       std::sqrt(accuracy * (1 - accuracy) / tokens), n));
      metrics.push_back(continuous_row(task_, "token_edit_distance", L * (1 - accuracy),
                                       L * std::sqrt(accuracy * (1 - accuracy) / tokens), n));
      metrics.push_back(
          continuous_row(task_, "target_logprob", L * std::log(p) + 0.05 * rng.normal(), 0.05, n));
    }
  }

 private:
  // Distinct values of `key` over the planned runs, ascending.
  template <typename Key>
  static std::vector<double> distinct_sizes(const results::ResultSet& planned, Key key) {
    std::vector<double> values;
    for (const results::RunResults& run : planned.runs) values.push_back(key(run));
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    return values;
  }
  // Where `value` sits among `values`, from 0 (the first) to 1 (the last); evenly by rank, as the
  // sweeps space sizes and budgets evenly in log scale.
  static double position(const std::vector<double>& values, double value) {
    if (values.size() < 2) return 1;
    const auto at = std::lower_bound(values.begin(), values.end(), value) - values.begin();
    return double(at) / double(values.size() - 1);
  }

  std::string task_;
};

}  // namespace

std::unique_ptr<StudyKind> make_mirage_kind(io::TomlSection& analysis) {
  std::string task;
  analysis.read("task", task);
  if (task.empty()) analysis.invalid("task", "name the generation task, e.g. \"add(digits=3)\"");
  return std::make_unique<MirageKind>(task);
}

}  // namespace emlab::study
