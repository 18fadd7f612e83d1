// mirage (Schaeffer et al. 2023): is a sharp rise of a 0/1 metric made by the metric? On the same
// models and outputs, compare exact match's breakthroughness with that of two continuous metrics
// (token edit distance, answer log-probability), and check exact match against the product of the
// per-position accuracies (p^L with a p per position; the evaluator's position_product), with p^L
// from the mean token accuracy beside it for comparison.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "analysis/emergence_measures.hpp"
#include "analysis/mirage.hpp"
#include "eval/position_accuracy.hpp"
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
            "pl_mean_difference",
            "mean_pl_inside_fraction",
            "mean_pl_rmse",
            "mean_pl_mean_difference"};
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

    const auto length = results.answer_tokens.find(task_);
    const double L = length != results.answer_tokens.end() ? length->second : NAN;
    add_pl_check(out, results, "pl", "position_product", 1.0,
                 "the product of the per-position accuracies (the evaluator's position_product)");
    add_pl_check(out, results, "mean_pl", "token_accuracy", L,
                 fmt::format("p^L, p the mean token accuracy and L = {:.3g} answer tokens (never "
                             "below the product; kept for comparison)",
                             L));
    return out;
  }

  std::optional<SimulatedEffects> simulated_effects() const override {
    return SimulatedEffects{
        "a typical per-token accuracy p rises in a straight line over log size (from U(0.25, "
        "0.45) to U(0.8, 0.95)), less at smaller budgets; each answer position has its own "
        "accuracy p^w (w drawn per world and position, 0.2-1.8, mean 1 per answer length: easy "
        "and hard positions), and each example is right or wrong at each position on its own, so "
        "exact match is the product of the per-position accuracies with the design's sampling "
        "noise",
        "the ability truly appears at one size: p itself jumps (from the same low level to the "
        "same high one) between two neighbouring sizes chosen at random, so every metric of the "
        "outputs jumps there; positions as in the other world"};
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
    // Answers are floor(L) or ceil(L) tokens long, in the shares that give the mean L.
    const auto shortest = size_t(std::max(1.0, std::floor(L)));
    const double longer_share = std::clamp(L - double(shortest), 0.0, 1.0);
    const std::vector<double> short_weights = position_weights(shortest, rng);
    const std::vector<double> long_weights = position_weights(shortest + 1, rng);
    for (results::RunResults& run : planned.runs) {
      const double x = position(sizes, double(run.row.plan.parameters));
      const double b = position(budgets, double(run.row.plan.tokens));
      const double seed_noise = 0.02 * rng.normal();
      const bool above_gap = x * double(sizes.size() - 1) > gap;
      const double full = token_jump ? double(above_gap) : x;
      const double p =
          std::clamp(low + (high - low) * full * (0.6 + 0.4 * b) + seed_noise, 0.01, 0.99);
      const int64_t n = evaluated_examples(run);
      // Each example right or wrong at each of its positions, independently.
      std::vector<std::vector<bool>> correct(size_t(std::max<int64_t>(n, 0)));
      double exact = 0, accuracy = 0, tokens = 0;
      for (std::vector<bool>& example : correct) {
        const std::vector<double>& weights =
            rng.uniform() < longer_share ? long_weights : short_weights;
        size_t right = 0;
        for (double w : weights) {
          example.push_back(rng.uniform() < std::pow(p, w));
          right += example.back() ? 1 : 0;
        }
        exact += right == weights.size() ? 1 : 0;
        accuracy += double(right) / double(weights.size());
        tokens += double(weights.size());
      }
      exact /= double(n);
      accuracy /= double(n);
      auto& metrics = run.checkpoints.back().metrics;
      metrics.push_back(proportion_row(task_, "exact_match", exact, n));
      metrics.push_back(continuous_row(task_, "token_accuracy", accuracy,
                                       std::sqrt(accuracy * (1 - accuracy) / tokens), n));
      metrics.push_back(continuous_row(task_, "token_edit_distance", L * (1 - accuracy),
                                       L * std::sqrt(accuracy * (1 - accuracy) / tokens), n));
      metrics.push_back(
          continuous_row(task_, "position_product", eval::position_product(correct), NAN, n));
      metrics.push_back(
          continuous_row(task_, "target_logprob", L * std::log(p) + 0.05 * rng.normal(), 0.05, n));
    }
  }

 private:
  // A prediction of exact match against the observation at every completed run's final checkpoint
  // (all budgets): PREFIX_inside_fraction, PREFIX_rmse and PREFIX_mean_difference. The prediction
  // is metric^power (power 1: the metric is the prediction itself; NaN: none is known).
  void add_pl_check(Measurements& out, const results::ResultSet& results, const std::string& prefix,
                    const char* metric, double power, const std::string& prediction) const {
    std::vector<analysis::MirageInput> inputs;
    for (const results::RunResults& run : results.runs) {
      const results::CheckpointResults* last = run.last();
      if (!run.completed() || last == nullptr || std::isnan(power)) continue;
      const store::MetricRow* predictor = results::find_metric(*last, task_, metric);
      const store::MetricRow* exact = results::find_metric(*last, task_, "exact_match");
      if (predictor != nullptr && exact != nullptr)
        inputs.push_back({predictor->value, power, exact->value, double(exact->n)});
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
    out.add(prefix + "_inside_fraction", inside,
            fmt::format("share of {} final checkpoints whose exact match's 95% Wilson interval "
                        "holds {}",
                        inputs.size(), prediction));
    out.add(prefix + "_rmse", rmse, "root mean square of that prediction − observed exact match");
    out.add(prefix + "_mean_difference", mean_difference,
            "mean of that prediction − observed exact match (positive: above the observation)");
  }

  // How hard each of an answer's positions is: its accuracy is p^w. The last (the end token) is
  // nearly always right, as in the small run; their mean is 1, so the product of a whole
  // answer's accuracies is p^length.
  static std::vector<double> position_weights(size_t positions, Rng& rng) {
    std::vector<double> weights(positions);
    for (double& w : weights) w = 0.2 + 1.6 * rng.uniform();
    if (positions > 1) weights.back() = 0.2 * rng.uniform();
    double total = 0;
    for (double w : weights) total += w;
    for (double& w : weights) w *= double(positions) / total;
    return weights;
  }

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
