// mirage (Schaeffer et al. 2023): is a sharp rise of a 0/1 metric made by the metric? On the same
// models and outputs, compare how sharply the metric (exact match unless `metric` names another)
// rises over size with two continuous metrics (token edit distance, answer log-probability), and
// check it against the product of the per-position accuracies (p^L with a p per position; the
// evaluator's position_product), with p^L from the mean token accuracy beside it for comparison.
// With several tasks (answer lengths) every measurement is made per task (suffix _k, k from 1 in
// the order given) and summed up over them (the worst length), so a rule can ask for every length.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "analysis/emergence_measures.hpp"
#include "analysis/mirage.hpp"
#include "eval/position_accuracy.hpp"
#include "results/scale_points.hpp"
#include "study/simulated_design.hpp"
#include "study/study_kind.hpp"

namespace emlab::study {

namespace {

// The smaller of two numbers, NaN when either is: a length that could not be measured leaves the
// summary unmeasured rather than silently skipped (negate both and the result for the larger).
double min_or_nan(double a, double b) {
  return std::isnan(a) || std::isnan(b) ? NAN : std::min(a, b);
}

class MirageKind final : public StudyKind {
 public:
  MirageKind(std::vector<std::string> tasks, std::string metric, double min_rise)
      : tasks_(std::move(tasks)), metric_(std::move(metric)), min_rise_(min_rise) {}

  std::vector<std::string> tasks() const override { return tasks_; }
  std::vector<std::string> measurement_names() const override {
    const std::vector<std::string> one = task_measurement_names();
    if (tasks_.size() == 1) return one;
    std::vector<std::string> names = {"sizes",
                                      "lengths_risen",
                                      "pl_inside_fraction_min",
                                      "jump_share_ratio_min",
                                      "jump_share_ratio_mean",
                                      "edit_distance_jump_share_max"};
    for (size_t k = 1; k <= tasks_.size(); ++k)
      for (const std::string& name : one) names.push_back(fmt::format("{}_{}", name, k));
    return names;
  }

  Measurements measure(const results::ResultSet& results) const override {
    if (tasks_.size() == 1) return measure_task(results, tasks_.front());
    // Every length's measurements, then the worst over them: the product prediction at every
    // length, and sharpness at the lengths whose metric rose enough to have a shape.
    Measurements per_task;
    double sizes = INFINITY, inside_min = INFINITY, ratio_min = INFINITY, ratio_sum = 0,
           edit_max = -INFINITY;
    int risen = 0;
    for (size_t k = 0; k < tasks_.size(); ++k) {
      const Measurements m = measure_task(results, tasks_[k]);
      for (const Measurement& x : m.all())
        per_task.add(fmt::format("{}_{}", x.name, k + 1), x.value,
                     fmt::format("{}: {}", tasks_[k], x.about), x.lower, x.upper);
      auto get = [&](const std::string& name) { return m.find(name)->value; };
      sizes = std::min(sizes, get("sizes"));
      inside_min = min_or_nan(inside_min, get("pl_inside_fraction"));
      if (!(get(metric_ + "_rise") >= min_rise_)) continue;
      ++risen;
      const double ratio = get(metric_ + "_jump_share") / get("edit_distance_jump_share");
      ratio_min = min_or_nan(ratio_min, ratio);
      ratio_sum += ratio;
      edit_max = -min_or_nan(-edit_max, -get("edit_distance_jump_share"));
    }
    Measurements out;
    out.add("sizes", sizes,
            "fewest model sizes with a completed run at the largest budget, over "
            "the tasks");
    out.add("lengths_risen", double(risen),
            fmt::format("tasks whose {} rose by at least {} across sizes (the lengths whose "
                        "sharpness is judged)",
                        metric_, min_rise_));
    out.add("pl_inside_fraction_min", inside_min,
            "the smallest pl_inside_fraction over every task (NaN when one could not be measured)");
    out.add("jump_share_ratio_min", risen > 0 ? ratio_min : NAN,
            fmt::format("over the tasks that rose, the smallest {}_jump_share / "
                        "edit_distance_jump_share",
                        metric_));
    out.add("jump_share_ratio_mean", risen > 0 ? ratio_sum / risen : NAN,
            "the mean of that ratio over the tasks that rose");
    out.add("edit_distance_jump_share_max", risen > 0 ? edit_max : NAN,
            "over the tasks that rose, the largest edit_distance_jump_share");
    for (const Measurement& x : per_task.all()) out.add(x.name, x.value, x.about, x.lower, x.upper);
    return out;
  }

  std::optional<SimulatedEffects> simulated_effects() const override {
    return SimulatedEffects{
        "for each task, a typical per-token accuracy p rises in a straight line over log size "
        "(from U(0.25, 0.45) to U(0.8, 0.95)), less at smaller budgets; each answer position has "
        "its own accuracy p^w (w drawn per world and position, 0.2-1.8, mean 1 per answer "
        "length: easy and hard positions), and each example is right or wrong at each position "
        "on its own, so exact match is the product of the per-position accuracies with the "
        "design's sampling noise; edit distance counts each example's wrong positions",
        "the ability truly appears at one size: for each task p itself jumps (from the same low "
        "level to the same high one) between two neighbouring sizes chosen at random, so every "
        "metric of the outputs jumps there; with several seeds each seed jumps there or one size "
        "step either side (seeds learn it at different sizes, which averaging over seeds blurs); "
        "positions as in the other world"};
  }

  void simulate(results::ResultSet& planned, Effect effect, Rng& rng) const override {
    for (const std::string& task : tasks_) simulate_task(planned, task, effect, rng);
  }

 private:
  // The measurements of one task; the sharp metric's are named after it.
  std::vector<std::string> task_measurement_names() const {
    return {"sizes",
            metric_ + "_rise",
            metric_ + "_breakthroughness",
            "edit_distance_breakthroughness",
            "logprob_breakthroughness",
            "continuous_breakthroughness",
            metric_ + "_jump_share",
            "edit_distance_jump_share",
            "pl_inside_fraction",
            "pl_rmse",
            "pl_mean_difference",
            "mean_pl_inside_fraction",
            "mean_pl_rmse",
            "mean_pl_mean_difference"};
  }

  Measurements measure_task(const results::ResultSet& results, const std::string& task) const {
    Measurements out;
    const auto sharp = results::final_curve(results, task, metric_);
    const double budget = sharp.empty() ? 0 : sharp.front().tokens;
    out.add("sizes", double(sharp.size()),
            fmt::format("model sizes with a completed run at the largest budget ({:.3g} tokens)",
                        budget));
    auto breakthrough = [&](const std::string& metric) {
      const auto curve = results::final_curve(results, task, metric);
      return curve.size() >= 3 ? analysis::breakthroughness(results::improvement(curve, metric))
                               : NAN;
    };
    const double b_sharp = breakthrough(metric_);
    const double b_edit = breakthrough("token_edit_distance");
    const double b_logprob = breakthrough("target_logprob");
    auto jump = [&](const std::string& metric) {
      const auto curve = results::final_curve(results, task, metric);
      return curve.size() >= 3 ? analysis::jump_share(results::improvement(curve, metric)) : NAN;
    };
    out.add(metric_ + "_jump_share", jump(metric_),
            fmt::format("largest rise between neighbouring sizes as a share of {}'s whole rise "
                        "(1/(m − 1) for a straight climb over m sizes, 1 for a single jump)",
                        metric_));
    out.add("edit_distance_jump_share", jump("token_edit_distance"),
            "the same for token edit distance (turned so that up is better)");
    out.add(metric_ + "_rise", sharp.size() >= 2 ? sharp.back().value - sharp.front().value : NAN,
            fmt::format("{} of the largest model minus that of the smallest", metric_));
    out.add(metric_ + "_breakthroughness", b_sharp,
            fmt::format("BIG-bench breakthroughness of {} over size (a straight climb over m "
                        "sizes gives m − 1)",
                        metric_));
    out.add("edit_distance_breakthroughness", b_edit,
            "breakthroughness of token edit distance (turned so that up is better)");
    out.add("logprob_breakthroughness", b_logprob,
            "breakthroughness of the answer's log-probability");
    out.add("continuous_breakthroughness",
            std::isnan(b_edit)      ? b_logprob
            : std::isnan(b_logprob) ? b_edit
                                    : std::max(b_edit, b_logprob),
            "the sharper of the two continuous metrics' breakthroughness");

    const auto length = results.answer_tokens.find(task);
    const double L = length != results.answer_tokens.end() ? length->second : NAN;
    add_pl_check(out, results, task, "pl", "position_product", 1.0,
                 "the product of the per-position accuracies (the evaluator's position_product)");
    add_pl_check(out, results, task, "mean_pl", "token_accuracy", L,
                 fmt::format("p^L, p the mean token accuracy and L = {:.3g} answer tokens (never "
                             "below the product; kept for comparison)",
                             L));
    return out;
  }

  // A prediction of the metric against the observation at every completed run's final checkpoint
  // (all budgets): PREFIX_inside_fraction, PREFIX_rmse and PREFIX_mean_difference. The prediction
  // is predictor^power (power 1: the predictor itself; NaN: none is known).
  void add_pl_check(Measurements& out, const results::ResultSet& results, const std::string& task,
                    const std::string& prefix, const char* predictor_metric, double power,
                    const std::string& prediction) const {
    std::vector<analysis::MirageInput> inputs;
    for (const results::RunResults& run : results.runs) {
      const results::CheckpointResults* last = run.last();
      if (!run.completed() || last == nullptr || std::isnan(power)) continue;
      const store::MetricRow* predictor = results::find_metric(*last, task, predictor_metric);
      const store::MetricRow* observed = results::find_metric(*last, task, metric_);
      if (predictor != nullptr && observed != nullptr)
        inputs.push_back({predictor->value, power, observed->value, double(observed->n)});
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
            fmt::format("share of {} final checkpoints whose {} 95% Wilson interval holds {}",
                        inputs.size(), metric_, prediction));
    out.add(prefix + "_rmse", rmse,
            fmt::format("root mean square of that prediction − observed {}", metric_));
    out.add(prefix + "_mean_difference", mean_difference,
            fmt::format("mean of that prediction − observed {} (positive: above the observation)",
                        metric_));
  }

  // One task's metrics at every planned run's final checkpoint, drawn as simulated_effects() says.
  static void simulate_task(results::ResultSet& planned, const std::string& task, Effect effect,
                            Rng& rng) {
    const auto length = planned.answer_tokens.find(task);
    const double L = length != planned.answer_tokens.end() ? length->second : 3;
    const std::vector<double> sizes = distinct_sizes(
        planned, [](const results::RunResults& r) { return double(r.row.plan.parameters); });
    const std::vector<double> budgets = distinct_sizes(
        planned, [](const results::RunResults& r) { return double(r.row.plan.tokens); });
    const double low = 0.25 + 0.2 * rng.uniform(), high = 0.8 + 0.15 * rng.uniform();
    const double gaps = double(std::max<size_t>(sizes.size() - 1, 1));
    const double gap = std::floor(rng.uniform() * gaps);
    const bool token_jump = effect == Effect::kAbsent;
    // Each seed's own gap: the world's, or a neighbouring one (one seed alone keeps the world's).
    std::map<uint64_t, double> seed_gap;
    auto gap_of = [&](uint64_t seed) {
      auto [at, inserted] = seed_gap.try_emplace(seed, gap);
      if (inserted && seed_gap.size() > 1)
        at->second = std::clamp(gap + std::floor(rng.uniform() * 3) - 1, 0.0, gaps - 1);
      return at->second;
    };
    // Answers are floor(L) or ceil(L) tokens long, in the shares that give the mean L.
    const auto shortest = size_t(std::max(1.0, std::floor(L)));
    const double longer_share = std::clamp(L - double(shortest), 0.0, 1.0);
    const std::vector<double> short_weights = position_weights(shortest, rng);
    const std::vector<double> long_weights = position_weights(shortest + 1, rng);
    for (results::RunResults& run : planned.runs) {
      const double x = position(sizes, double(run.row.plan.parameters));
      const double b = position(budgets, double(run.row.plan.tokens));
      const double seed_noise = 0.02 * rng.normal();
      const bool above_gap = x * double(sizes.size() - 1) > gap_of(run.row.plan.seed);
      const double full = token_jump ? double(above_gap) : x;
      const double p =
          std::clamp(low + (high - low) * full * (0.6 + 0.4 * b) + seed_noise, 0.01, 0.99);
      const int64_t n = evaluated_examples(run);
      // Each example right or wrong at each of its positions, independently. A wrong position is
      // a substitution, so an example's edit distance is its count of wrong positions.
      std::vector<std::vector<bool>> correct(size_t(std::max<int64_t>(n, 0)));
      double exact = 0, accuracy = 0, accuracy_sq = 0, wrong = 0, wrong_sq = 0;
      for (std::vector<bool>& example : correct) {
        const std::vector<double>& weights =
            rng.uniform() < longer_share ? long_weights : short_weights;
        size_t right = 0;
        for (double w : weights) {
          example.push_back(rng.uniform() < std::pow(p, w));
          right += example.back() ? 1 : 0;
        }
        const double share = double(right) / double(weights.size());
        const double misses = double(weights.size() - right);
        exact += right == weights.size() ? 1 : 0;
        accuracy += share;
        accuracy_sq += share * share;
        wrong += misses;
        wrong_sq += misses * misses;
      }
      const double count = double(std::max<int64_t>(n, 1));
      exact /= count;
      accuracy /= count;
      wrong /= count;
      // Standard errors of the means over examples.
      auto error = [&](double mean, double mean_sq) {
        return std::sqrt(std::max(mean_sq / count - mean * mean, 0.0) / count);
      };
      auto& metrics = run.checkpoints.back().metrics;
      metrics.push_back(proportion_row(task, "exact_match", exact, n));
      metrics.push_back(
          continuous_row(task, "token_accuracy", accuracy, error(accuracy, accuracy_sq), n));
      metrics.push_back(
          continuous_row(task, "token_edit_distance", wrong, error(wrong, wrong_sq), n));
      metrics.push_back(
          continuous_row(task, "position_product", eval::position_product(correct), NAN, n));
      metrics.push_back(
          continuous_row(task, "target_logprob", L * std::log(p) + 0.05 * rng.normal(), 0.05, n));
    }
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

  std::vector<std::string> tasks_;
  std::string metric_;  // the metric whose sharpness is explained (exact match, or a control's)
  double min_rise_;     // a task's sharpness is judged when its metric rose by at least this
};

}  // namespace

// [analysis]: `task` (one) or `tasks` (several answer lengths, shortest first); `metric` (the
// metric whose sharpness is explained, exact_match unless a control names another); `min_rise`
// (with several tasks: the rise across sizes from which a task's sharpness is judged, 0.2).
std::unique_ptr<StudyKind> make_mirage_kind(io::TomlSection& analysis) {
  std::string task, metric = "exact_match";
  std::vector<std::string> tasks;
  double min_rise = 0.2;
  analysis.read("task", task);
  analysis.read("tasks", tasks);
  analysis.read("metric", metric);
  analysis.read("min_rise", min_rise);
  if (!task.empty() && !tasks.empty())
    analysis.invalid("tasks", "give either task (one) or tasks (several), not both");
  if (!task.empty()) tasks = {task};
  if (tasks.empty())
    analysis.invalid("task", "name the generation task, e.g. \"add(digits=3)\", or give tasks");
  if (metric.empty() || metric == "token_edit_distance")
    analysis.invalid("metric",
                     "name the metric whose sharpness is explained (e.g. exact_match); token "
                     "edit distance is the continuous metric it is compared with");
  if (!(min_rise > 0 && min_rise <= 1)) analysis.invalid("min_rise", "expected a rise in (0, 1]");
  return std::make_unique<MirageKind>(tasks, metric, min_rise);
}

}  // namespace emlab::study
