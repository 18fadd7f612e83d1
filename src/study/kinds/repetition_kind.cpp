// repetition (Muennighoff et al. 2023, arXiv:2305.16264): the same model and number of training
// tokens D, on fresh examples and on a fixed pool of U unique tokens repeated E = D/U times. The
// loss penalty of each repeated arm against the effective data of their form,
//   D' = U + U·R*·(1 − exp(−R_D/R*)),  R_D = E − 1 repetitions beyond the first epoch,
// with the published R* = 15.4 and with R* fitted to our arms; and the step at which an ability
// appears (or does not) in each arm.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "analysis/power_law_fit.hpp"
#include "results/scale_points.hpp"
#include "study/example_length.hpp"
#include "study/study_kind.hpp"

namespace emlab::study {

namespace {

constexpr double kNever = std::numeric_limits<double>::infinity();

struct Arm {
  std::string name;
  double tokens = 0, pool_examples = 0, unique_tokens = 0, epochs = 1;
  double final_loss = NAN, final_score = NAN, appears_at = kNever;
  std::vector<std::pair<double, double>> loss_by_tokens;  // every checkpoint
};

double effective_data(double unique, double epochs, double r_star) {
  const double repeats = std::max(0.0, epochs - 1);
  return unique + unique * r_star * (1 - std::exp(-repeats / r_star));
}

class RepetitionKind final : public StudyKind {
 public:
  RepetitionKind(std::string fresh, std::vector<std::string> arms, std::string task,
                 std::string metric, double level, double r_star)
      : fresh_(std::move(fresh)),
        arms_(std::move(arms)),
        task_(std::move(task)),
        metric_(std::move(metric)),
        level_(level),
        r_star_(r_star) {}

  std::vector<std::string> tasks() const override { return {task_}; }
  std::vector<std::string> measurement_names() const override {
    std::vector<std::string> names = {
        "fresh_loss",    "fresh_appears_at_step",  "penalty_grows",    "penalty_prediction_error",
        "fitted_r_star", "largest_repeat_delayed", "fresh_final_score"};
    for (size_t i = 0; i < arms_.size(); ++i)
      for (const char* what :
           {"epochs", "penalty", "predicted_penalty", "appears_at_step", "final_score"})
        names.push_back(fmt::format("{}_{}", what, i + 1));
    return names;
  }

  Measurements measure(const results::ResultSet& results) const override {
    Measurements out;
    const Arm fresh = read_arm(results, fresh_);
    std::vector<Arm> arms;
    for (const std::string& name : arms_) arms.push_back(read_arm(results, name));
    out.add(
        "fresh_loss", fresh.final_loss,
        fmt::format("final validation loss of the fresh-data arm ({:.3g} tokens)", fresh.tokens));
    out.add("fresh_appears_at_step", fresh.appears_at,
            fmt::format("first checkpoint step at which {} of {} reached {} with fresh data "
                        "(inf: never)",
                        metric_, task_, level_));
    out.add("fresh_final_score", fresh.final_score, "its final value");

    // L(D) of fresh data from the fresh arm's checkpoints: E + A·D^−α.
    analysis::PowerLawParams law{NAN, NAN, NAN};
    double noise = NAN;
    if (fresh.loss_by_tokens.size() >= 4) {
      std::vector<double> d, l;
      for (const auto& [tokens, loss] : fresh.loss_by_tokens) {
        d.push_back(tokens);
        l.push_back(loss);
      }
      analysis::PowerLawOptions options;
      options.bootstrap_resamples = 0;
      const analysis::PowerLawFit fit = analysis::fit_power_law(d, l, options);
      law = fit.params;
      double rss = 0;
      for (size_t i = 0; i < d.size(); ++i) rss += std::pow(law.loss(d[i]) - l[i], 2);
      noise = rss / double(std::max<size_t>(1, d.size() - 3));
    }
    auto predicted_penalty = [&](const Arm& a, double r_star) {
      return law.loss(effective_data(a.unique_tokens, a.epochs, r_star)) - law.loss(a.tokens);
    };

    bool grows = true;
    double previous = -kNever, error = 0, measured_total = 0;
    int compared = 0;
    for (size_t i = 0; i < arms.size(); ++i) {
      const Arm& a = arms[i];
      const double penalty = a.final_loss - fresh.final_loss;
      const double predicted = predicted_penalty(a, r_star_);
      out.add(fmt::format("epochs_{}", i + 1), a.epochs,
              fmt::format("arm {}: epochs over its pool of {:.0f} examples ({:.3g} unique "
                          "tokens)",
                          a.name, a.pool_examples, a.unique_tokens));
      out.add(fmt::format("penalty_{}", i + 1), penalty,
              fmt::format("arm {}: final validation loss minus the fresh arm's", a.name));
      out.add(fmt::format("predicted_penalty_{}", i + 1), predicted,
              fmt::format("arm {}: L(D') − L(D) with R* = {} and L fitted to the fresh arm's "
                          "checkpoints",
                          a.name, r_star_));
      out.add(fmt::format("appears_at_step_{}", i + 1), a.appears_at,
              fmt::format("arm {}: first step at which {} reached {} (inf: never)", a.name, metric_,
                          level_));
      out.add(fmt::format("final_score_{}", i + 1), a.final_score,
              fmt::format("arm {}: its final {}", a.name, metric_));
      grows = grows && penalty >= previous;
      previous = penalty;
      if (std::isfinite(penalty) && std::isfinite(predicted)) {
        error += std::abs(predicted - penalty);
        measured_total += std::abs(penalty);
        ++compared;
      }
    }
    out.add("penalty_grows", arms.empty() || !std::isfinite(previous) ? NAN : (grows ? 1 : 0),
            "1 when the loss penalty does not fall as the repetition grows");
    const double relative =
        measured_total > 0 ? error / measured_total : (error > 0 ? kNever : 0.0);
    out.add("penalty_prediction_error", compared > 0 ? relative : NAN,
            fmt::format("Σ|predicted − measured penalty| / Σ|measured| over the arms (R* = {})",
                        r_star_));

    // R* fitted to our arms: least squares over a log grid; interval where the residual sum of
    // squares stays within 3.84 σ² of its least (σ² the fresh fit's residual variance).
    double best = NAN, best_rss = kNever, low = NAN, high = NAN;
    std::vector<std::pair<double, double>> profile;
    if (std::isfinite(law.E) && compared > 0) {
      for (double log_r = -1; log_r <= 4.0001; log_r += 0.01) {
        const double r = std::pow(10, log_r);
        double rss = 0;
        for (const Arm& a : arms)
          rss += std::pow(predicted_penalty(a, r) - (a.final_loss - fresh.final_loss), 2);
        profile.emplace_back(r, rss);
        if (rss < best_rss) {
          best_rss = rss;
          best = r;
        }
      }
      for (const auto& [r, rss] : profile)
        if (rss <= best_rss + 3.84 * noise) {
          low = std::isnan(low) ? r : std::min(low, r);
          high = std::isnan(high) ? r : std::max(high, r);
        }
    }
    out.add("fitted_r_star", best,
            "R* fitted to our arms (grid over 0.1 … 10⁴; interval: residual within 3.84 σ² of "
            "its least, σ² from the fresh fit; an end of the grid means unbounded there)",
            low, high);
    const Arm* largest = arms.empty() ? nullptr : &arms.back();
    out.add("largest_repeat_delayed",
            largest == nullptr || std::isinf(fresh.appears_at)
                ? NAN
                : (largest->appears_at > fresh.appears_at ? 1 : 0),
            "1 when the most repeated arm reaches the level later than fresh data, or never "
            "(NaN when fresh data never does)");
    return out;
  }

 private:
  Arm read_arm(const results::ResultSet& results, const std::string& prefix) const {
    Arm arm;
    arm.name = prefix;
    for (const results::RunResults& run : results::select_arm(results, prefix).runs) {
      if (!run.completed() || run.last() == nullptr) continue;
      const auto config = nlohmann::json::parse(run.row.plan.config_json, nullptr, false);
      if (config.is_discarded()) continue;
      const auto& data = config["data"];
      arm.tokens = double(run.last()->row.tokens);
      // The pool as training built it: a task short of its share pools all it has.
      const PoolSize pool = data.value("pool_size", int64_t{0}) > 0
                                ? repeated_pool(run.row.plan.config_json)
                                : PoolSize{};
      arm.pool_examples = pool.examples;
      arm.unique_tokens = pool.examples > 0 ? pool.tokens : arm.tokens;
      arm.epochs = arm.tokens / arm.unique_tokens;
      arm.final_loss = run.last()->row.validation_loss;
      for (const results::CheckpointResults& c : run.checkpoints) {
        if (c.row.tokens > 0 && std::isfinite(c.row.validation_loss))
          arm.loss_by_tokens.emplace_back(double(c.row.tokens), c.row.validation_loss);
        const store::MetricRow* m = results::find_metric(c, task_, metric_);
        if (m != nullptr && m->value >= level_)
          arm.appears_at = std::min(arm.appears_at, double(c.row.step));
        if (&c == run.last() && m != nullptr) arm.final_score = m->value;
      }
      break;  // one run per arm (the first completed)
    }
    return arm;
  }

  std::string fresh_;
  std::vector<std::string> arms_;
  std::string task_, metric_;
  double level_, r_star_;
};

}  // namespace

std::unique_ptr<StudyKind> make_repetition_kind(io::TomlSection& analysis) {
  std::string fresh = "fresh", task, metric = "exact_match";
  std::vector<std::string> arms;
  double level = 0.5, r_star = 15.4;
  analysis.read("fresh", fresh);
  analysis.read("arms", arms);
  analysis.read("task", task);
  analysis.read("metric", metric);
  analysis.read("level", level);
  analysis.read("r_star", r_star);
  if (arms.empty()) analysis.invalid("arms", "name the repeated arms' run prefixes, least first");
  if (task.empty()) analysis.invalid("task", "name the task whose ability is watched");
  if (!(r_star > 0)) analysis.invalid("r_star", "must be positive");
  return std::make_unique<RepetitionKind>(fresh, arms, task, metric, level, r_star);
}

}  // namespace emlab::study
