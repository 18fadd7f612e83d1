// repetition (Muennighoff et al. 2023, arXiv:2305.16264): the same model and number of training
// tokens D, on fresh examples and on a fixed pool of U unique tokens repeated E = D/U times, each
// arm over the same seeds. Their qualitative claims, from the loss penalty of each repeated arm
// (its final validation loss minus the fresh arm's of the same seed, averaged over seeds):
// a few epochs cost almost nothing, the penalty grows with the epochs, and repeated tokens are
// worth less and less, as the effective data
//   D' = U + U·R*·(1 − exp(−R_D/R*)),  R_D = E − 1 repetitions beyond the first epoch,
// says with a finite R* (fitted here with a profile interval; the published 15.4 is compared, not
// required). The step at which an ability appears in each arm is reported beside them.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>

#include "analysis/pass_until.hpp"
#include "analysis/power_law_fit.hpp"
#include "results/scale_points.hpp"
#include "study/example_length.hpp"
#include "study/simulated_design.hpp"
#include "study/study_kind.hpp"

namespace emlab::study {

namespace {

constexpr double kNever = std::numeric_limits<double>::infinity();
// R* is fitted over 10^-1 … 10^4: an interval reaching the top means no finite R* is needed.
constexpr double kLogRStarLowest = -1, kLogRStarHighest = 4, kLogRStarStep = 0.01;

struct SeedRun {
  double final_loss = NAN, final_score = NAN;
  std::vector<std::pair<double, double>> loss_by_tokens;  // every checkpoint
  std::map<int64_t, double> score_by_step;
};

struct Arm {
  std::string name;
  double tokens = 0, pool_examples = 0, unique_tokens = 0, epochs = 1;
  std::map<uint64_t, SeedRun> seeds;  // completed runs by seed
};

// Mean and 95% t-interval over seeds (no interval from one seed).
struct OverSeeds {
  double mean = NAN, low = NAN, high = NAN, variance = NAN;
  int n = 0;
};

OverSeeds over_seeds(const std::vector<double>& values) {
  OverSeeds s;
  s.n = int(values.size());
  if (s.n == 0) return s;
  double sum = 0;
  for (double v : values) sum += v;
  s.mean = sum / s.n;
  if (s.n < 2) return s;
  double squares = 0;
  for (double v : values) squares += (v - s.mean) * (v - s.mean);
  s.variance = squares / (s.n - 1);
  const double half = analysis::student_t_975(s.n - 1) * std::sqrt(s.variance / s.n);
  s.low = s.mean - half;
  s.high = s.mean + half;
  return s;
}

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

  std::vector<std::string> tasks() const override {
    return task_.empty() ? std::vector<std::string>{} : std::vector<std::string>{task_};
  }
  std::vector<std::string> measurement_names() const override {
    std::vector<std::string> names = {"seeds",
                                      "fresh_loss",
                                      "fresh_loss_seed_sd",
                                      "fresh_appears_at_step",
                                      "fresh_final_score",
                                      "penalty_grows",
                                      "largest_penalty_fall",
                                      "first_penalty_share",
                                      "r_star",
                                      "r_star_low",
                                      "r_star_high",
                                      "r_star_bounded",
                                      "published_r_star_inside",
                                      "penalty_prediction_error",
                                      "largest_repeat_delayed"};
    for (size_t i = 0; i < arms_.size(); ++i)
      for (const char* what : {"epochs", "penalty", "penalty_low", "penalty_high",
                               "predicted_penalty", "appears_at_step", "final_score"})
        names.push_back(fmt::format("{}_{}", what, i + 1));
    return names;
  }

  Measurements measure(const results::ResultSet& results) const override {
    Measurements out;
    const Arm fresh = read_arm(results, fresh_);
    std::vector<Arm> arms;
    for (const std::string& name : arms_) arms.push_back(read_arm(results, name));

    // Penalties per seed: each repeated run against the fresh run of its seed.
    std::vector<std::vector<double>> penalties(arms.size());
    int seeds = int(fresh.seeds.size());
    for (size_t i = 0; i < arms.size(); ++i) {
      for (const auto& [seed, run] : arms[i].seeds)
        if (fresh.seeds.count(seed))
          penalties[i].push_back(run.final_loss - fresh.seeds.at(seed).final_loss);
      seeds = std::min(seeds, int(penalties[i].size()));
    }
    out.add("seeds", double(seeds),
            "fewest seeds completed in both the fresh arm and a repeated arm (the penalties' "
            "intervals are over seeds)");
    std::vector<double> fresh_finals;
    for (const auto& [seed, run] : fresh.seeds) fresh_finals.push_back(run.final_loss);
    const OverSeeds fresh_loss = over_seeds(fresh_finals);
    out.add("fresh_loss", fresh_loss.mean,
            fmt::format("final validation loss of the fresh-data arm ({:.3g} tokens), mean over "
                        "{} seeds",
                        fresh.tokens, fresh_loss.n),
            fresh_loss.low, fresh_loss.high);
    out.add("fresh_loss_seed_sd", std::sqrt(fresh_loss.variance),
            "standard deviation of the fresh arm's final validation loss over seeds, in nats (the "
            "simulator's seed noise per run; NaN with one seed)");
    const double fresh_appears = appears_at(fresh);
    if (watches_ability()) {
      out.add("fresh_appears_at_step", fresh_appears,
              fmt::format("first checkpoint step at which {} of {} (mean over seeds) reached {} "
                          "with fresh data (inf: never)",
                          metric_, task_, level_));
      out.add("fresh_final_score", final_score(fresh), "its final value, mean over seeds");
    }

    // L(D) of fresh data from every checkpoint of every fresh seed: E + A·D^−α.
    analysis::PowerLawParams law{NAN, NAN, NAN};
    double law_noise = NAN;
    std::vector<double> d, l;
    for (const auto& [seed, run] : fresh.seeds)
      for (const auto& [tokens, loss] : run.loss_by_tokens) {
        d.push_back(tokens);
        l.push_back(loss);
      }
    if (d.size() >= 4) {
      analysis::PowerLawOptions options;
      options.bootstrap_resamples = 0;
      law = analysis::fit_power_law(d, l, options).params;
      double rss = 0;
      for (size_t i = 0; i < d.size(); ++i) rss += std::pow(law.loss(d[i]) - l[i], 2);
      law_noise = rss / double(std::max<size_t>(1, d.size() - 3));
    }
    auto predicted_penalty = [&](const Arm& a, double r_star) {
      return law.loss(effective_data(a.unique_tokens, a.epochs, r_star)) - law.loss(a.tokens);
    };

    std::vector<double> means;
    double error = 0, measured_total = 0;
    int compared = 0;
    for (size_t i = 0; i < arms.size(); ++i) {
      const Arm& a = arms[i];
      const OverSeeds penalty = over_seeds(penalties[i]);
      means.push_back(penalty.mean);
      const double predicted = predicted_penalty(a, r_star_);
      out.add(fmt::format("epochs_{}", i + 1), a.epochs,
              a.pool_examples > 0
                  ? fmt::format("arm {}: epochs over its pool of {:.0f} examples ({:.3g} unique "
                                "tokens)",
                                a.name, a.pool_examples, a.unique_tokens)
                  : fmt::format("arm {}: epochs over its {:.3g} unique tokens", a.name,
                                a.unique_tokens));
      out.add(fmt::format("penalty_{}", i + 1), penalty.mean,
              fmt::format("arm {}: final validation loss minus the fresh arm's of the same seed, "
                          "mean over {} seeds (95% t-interval over seeds)",
                          a.name, penalty.n),
              penalty.low, penalty.high);
      out.add(fmt::format("penalty_low_{}", i + 1), penalty.low,
              fmt::format("arm {}: the lower end of that interval (NaN with one seed)", a.name));
      out.add(fmt::format("penalty_high_{}", i + 1), penalty.high,
              fmt::format("arm {}: its upper end", a.name));
      out.add(fmt::format("predicted_penalty_{}", i + 1), predicted,
              fmt::format("arm {}: L(D') − L(D) with the published R* = {} and L fitted to the "
                          "fresh arm's checkpoints",
                          a.name, r_star_));
      if (watches_ability()) {
        out.add(fmt::format("appears_at_step_{}", i + 1), appears_at(a),
                fmt::format("arm {}: first step at which {} (mean over seeds) reached {} (inf: "
                            "never)",
                            a.name, metric_, level_));
        out.add(fmt::format("final_score_{}", i + 1), final_score(a),
                fmt::format("arm {}: its final {}, mean over seeds", a.name, metric_));
      }
      if (std::isfinite(penalty.mean) && std::isfinite(predicted)) {
        error += std::abs(predicted - penalty.mean);
        measured_total += std::abs(penalty.mean);
        ++compared;
      }
    }
    add_penalty_shape(out, means);
    const double relative =
        measured_total > 0 ? error / measured_total : (error > 0 ? kNever : 0.0);
    out.add("penalty_prediction_error", compared > 0 ? relative : NAN,
            fmt::format("Σ|predicted − measured penalty| / Σ|measured| over the arms (the "
                        "published R* = {}; reported, not required)",
                        r_star_));
    std::function<double(const Arm&, double)> predict;
    if (std::isfinite(law.E)) predict = predicted_penalty;
    add_fitted_r_star(out, arms, penalties, predict, law_noise);

    if (!watches_ability()) return out;
    const double largest_appears = arms.empty() ? NAN : appears_at(arms.back());
    out.add(
        "largest_repeat_delayed",
        arms.empty() || std::isinf(fresh_appears) ? NAN : (largest_appears > fresh_appears ? 1 : 0),
        "1 when the most repeated arm reaches the level later than fresh data, or never "
        "(NaN when fresh data never does)");
    return out;
  }

  std::optional<SeedNoise> seed_noise() const override {
    return SeedNoise{seed_noise_, "fresh_loss_seed_sd"};
  }
  std::shared_ptr<const StudyKind> with_seed_noise(double sd) const override {
    auto copy = std::make_shared<RepetitionKind>(fresh_, arms_, task_, metric_, level_, r_star_);
    copy->seed_noise_ = sd;
    std::lock_guard<std::mutex> lock(pools_mutex_);
    copy->pools_ = pools_;  // the pools built so far, which are slow to build again
    return copy;
  }

  std::optional<SimulatedEffects> simulated_effects() const override {
    return SimulatedEffects{
        fmt::format(
            "fresh data follow L(D) = 0.2 + A·D^−α at every checkpoint (α ~ U(0.25, 0.45); A "
            "such that the data term is U(0.2, 0.4) nats at the final budget); a repeated arm "
            "follows L(D') with D' = D up to its pool's unique tokens U and U + U·R*·(1 − "
            "e^(−(D/U − 1)/R*)) beyond, one R* per world, log-uniform in [5, 50]; seed noise {} "
            "nats per run and 0.01 per checkpoint, losses kept above 0.01 nats (the ability's "
            "metric is not simulated: the rule does not read it)",
            seed_noise_),
        "every arm follows the fresh law L(D) with the same noise: repeating costs nothing"};
  }

  void simulate(results::ResultSet& planned, Effect effect, Rng& rng) const override {
    double final_tokens = 0;
    for (const results::RunResults& run : planned.runs)
      final_tokens = std::max(final_tokens, double(run.checkpoints.back().row.tokens));
    const double alpha = 0.25 + 0.2 * rng.uniform();
    const double data_term = 0.2 + 0.2 * rng.uniform();
    const double a = data_term * std::pow(final_tokens, alpha);
    const double r_star = std::pow(10, std::log10(5) + std::log10(10) * rng.uniform());
    for (results::RunResults& run : planned.runs) {
      const PoolSize pool = repeated_pool_of(run);
      const double offset = seed_noise_ * rng.normal();
      for (results::CheckpointResults& c : run.checkpoints) {
        const double tokens = std::max(1.0, double(c.row.tokens));
        const bool repeated = effect == Effect::kPresent && pool.repeated() && tokens > pool.tokens;
        const double seen =
            repeated ? effective_data(pool.tokens, tokens / pool.tokens, r_star) : tokens;
        // A cross-entropy is never negative: at a large measured seed noise (0.2 nats and more)
        // the offset would push some runs' losses below zero, which no power-law fit accepts.
        c.row.validation_loss =
            std::max(0.01, 0.2 + a * std::pow(seen, -alpha) + offset + 0.01 * rng.normal());
      }
    }
  }

 private:
  // The penalty's shape over the arms' mean penalties (least repeated first).
  static void add_penalty_shape(Measurements& out, const std::vector<double>& means) {
    bool grows = true, all_measured = !means.empty();
    double largest_fall = 0;
    for (size_t i = 0; i < means.size(); ++i) {
      all_measured = all_measured && std::isfinite(means[i]);
      if (i == 0) continue;
      grows = grows && means[i] >= means[i - 1];
      largest_fall = std::max(largest_fall, means[i - 1] - means[i]);
    }
    out.add("penalty_grows", all_measured ? (grows ? 1 : 0) : NAN,
            "1 when the mean loss penalty does not fall as the repetition grows");
    out.add("largest_penalty_fall", all_measured ? largest_fall : NAN,
            "largest fall of the mean penalty from one arm to the next more repeated one, in nats "
            "(0 when it never falls)");
    const double first = all_measured ? means.front() : NAN,
                 last = all_measured ? means.back() : NAN;
    out.add("first_penalty_share", !all_measured ? NAN : (last > 0 ? first / last : kNever),
            "the least repeated arm's mean penalty as a share of the most repeated arm's (inf when "
            "the most repeated arm has none)");
  }

  // R* fitted to the per-seed penalties of every arm by least squares over a log grid; its
  // interval holds every R* whose residual sum of squares stays within F·σ² of the least, σ² the
  // penalties' pooled variance over seeds and F the 95% point of F(1, its degrees of freedom)
  // (one seed: the fresh fit's residual variance and 3.84).
  void add_fitted_r_star(Measurements& out, const std::vector<Arm>& arms,
                         const std::vector<std::vector<double>>& penalties,
                         const std::function<double(const Arm&, double)>& predicted_penalty,
                         double law_noise) const {
    double best = NAN, best_rss = kNever, low = NAN, high = NAN, highest_grid = NAN;
    double squares = 0;
    int dof = 0, points = 0;
    for (const std::vector<double>& p : penalties) {
      const OverSeeds s = over_seeds(p);
      points += s.n;
      if (s.n >= 2) {
        squares += s.variance * (s.n - 1);
        dof += s.n - 1;
      }
    }
    const double variance = dof > 0 ? squares / dof : law_noise;
    const double f = dof > 0 ? std::pow(analysis::student_t_975(dof), 2) : 3.84;
    if (predicted_penalty && points > 0 && std::isfinite(variance)) {
      std::vector<std::pair<double, double>> profile;
      for (double log_r = kLogRStarLowest; log_r <= kLogRStarHighest + 1e-9;
           log_r += kLogRStarStep) {
        const double r = std::pow(10, log_r);
        double rss = 0;
        for (size_t i = 0; i < arms.size(); ++i)
          for (double p : penalties[i]) rss += std::pow(predicted_penalty(arms[i], r) - p, 2);
        profile.emplace_back(r, rss);
        if (rss < best_rss) {
          best_rss = rss;
          best = r;
        }
      }
      highest_grid = profile.back().first;
      for (const auto& [r, rss] : profile)
        if (rss <= best_rss + f * variance) {
          low = std::isnan(low) ? r : std::min(low, r);
          high = std::isnan(high) ? r : std::max(high, r);
        }
    }
    const std::string grid = fmt::format(
        "grid 10^{} … 10^{}; interval: residual within F·σ² of its least, σ² the penalties' "
        "variance over seeds",
        kLogRStarLowest, kLogRStarHighest);
    out.add("r_star", best, fmt::format("R* fitted to every seed's penalties ({})", grid), low,
            high);
    out.add("r_star_low", low, "lower end of R*'s interval");
    out.add("r_star_high", high, "upper end of R*'s interval (the top of the grid: unbounded)");
    out.add("r_star_bounded", std::isnan(high) ? NAN : (high < highest_grid ? 1 : 0),
            "1 when R*'s interval ends inside the grid: the penalties need a finite R* (fresh and "
            "repeated tokens are not worth the same)");
    out.add("published_r_star_inside",
            std::isnan(high) ? NAN : (low <= r_star_ && r_star_ <= high ? 1 : 0),
            fmt::format("1 when the published R* = {} (C4, 10M-9B parameters) lies in the fitted "
                        "interval",
                        r_star_));
  }

  // The first step at which the metric, averaged over the seeds that have it, reaches the level.
  double appears_at(const Arm& arm) const {
    std::map<int64_t, std::pair<double, int>> by_step;
    for (const auto& [seed, run] : arm.seeds)
      for (const auto& [step, score] : run.score_by_step) {
        by_step[step].first += score;
        by_step[step].second += 1;
      }
    for (const auto& [step, sum] : by_step)
      if (sum.first / sum.second >= level_) return double(step);
    return kNever;
  }

  static double final_score(const Arm& arm) {
    std::vector<double> scores;
    for (const auto& [seed, run] : arm.seeds)
      if (std::isfinite(run.final_score)) scores.push_back(run.final_score);
    return over_seeds(scores).mean;
  }

  // The pool as training built it (a task short of its share pools all it has), rebuilt once per
  // config: simulations measure the same design hundreds of times.
  PoolSize repeated_pool_of(const results::RunResults& run) const {
    const auto config = nlohmann::json::parse(run.row.plan.config_json, nullptr, false);
    if (config.is_discarded()) return {};
    const auto& data = config["data"];
    if (data.value("pool_size", int64_t{0}) <= 0 && data.value("corpus_fraction", 1.0) >= 1)
      return {};
    std::lock_guard<std::mutex> lock(pools_mutex_);
    auto found = pools_.find(run.row.plan.config_json);
    if (found == pools_.end())
      found =
          pools_.emplace(run.row.plan.config_json, repeated_pool(run.row.plan.config_json)).first;
    return found->second;
  }

  Arm read_arm(const results::ResultSet& results, const std::string& prefix) const {
    Arm arm;
    arm.name = prefix;
    for (const results::RunResults& run : results::select_arm(results, prefix).runs) {
      if (!run.completed() || run.last() == nullptr || arm.seeds.count(run.row.plan.seed)) continue;
      arm.tokens = double(run.last()->row.tokens);
      const PoolSize pool = repeated_pool_of(run);
      arm.pool_examples = pool.examples;
      arm.unique_tokens = pool.repeated() ? pool.tokens : arm.tokens;
      arm.epochs = arm.tokens / arm.unique_tokens;
      SeedRun& seed = arm.seeds[run.row.plan.seed];
      seed.final_loss = run.last()->row.validation_loss;
      for (const results::CheckpointResults& c : run.checkpoints) {
        if (c.row.tokens > 0 && std::isfinite(c.row.validation_loss))
          seed.loss_by_tokens.emplace_back(double(c.row.tokens), c.row.validation_loss);
        if (const store::MetricRow* m = results::find_metric(c, task_, metric_)) {
          seed.score_by_step[c.row.step] = m->value;
          if (&c == run.last()) seed.final_score = m->value;
        }
      }
    }
    return arm;
  }

  // A repetition study on text may watch the loss alone (no [analysis] task).
  bool watches_ability() const { return !task_.empty(); }

  double seed_noise_ = 0.03;  // the simulator's per-run seed noise in nats (seed_noise())
  std::string fresh_;
  std::vector<std::string> arms_;
  std::string task_, metric_;
  double level_, r_star_;
  mutable std::mutex pools_mutex_;
  mutable std::map<std::string, PoolSize> pools_;
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
  if (!(r_star > 0)) analysis.invalid("r_star", "must be positive");
  return std::make_unique<RepetitionKind>(fresh, arms, task, metric, level, r_star);
}

}  // namespace emlab::study
