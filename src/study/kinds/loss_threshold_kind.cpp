// loss-threshold (Du et al. 2024): does a task's score depend on model size only through the
// pre-training (validation) loss? One curve, score = c + (1 − c)(1 − e^(−s·max(0, η − L))), over
// every checkpoint of every size, against one such curve per size: the threshold η with its
// profile interval, how much of the score it explains, and the spread of the per-size thresholds.
// With several seeds, each seed of each size gets its own curve too: their spread within a size is
// the noise reference against which the sizes' thresholds are compared.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "analysis/seed_spread.hpp"
#include "analysis/threshold_curve_fit.hpp"
#include "results/scale_points.hpp"
#include "study/simulated_design.hpp"
#include "study/study_kind.hpp"

namespace emlab::study {

namespace {

class LossThresholdKind final : public StudyKind {
 public:
  LossThresholdKind(std::string task, std::string metric, double chance)
      : task_(std::move(task)), metric_(std::move(metric)), chance_(chance) {}

  std::vector<std::string> tasks() const override { return {task_}; }
  std::vector<std::string> measurement_names() const override {
    return {"points",
            "sizes",
            "threshold",
            "threshold_interval_width",
            "threshold_spread",
            "shared_r2",
            "score_rise",
            "sizes_with_threshold",
            "seeds",
            "seed_threshold_sd",
            "threshold_seed_gap"};
  }

  Measurements measure(const results::ResultSet& results) const override {
    std::vector<double> loss, score;
    using Points = std::pair<std::vector<double>, std::vector<double>>;  // loss, score
    std::map<double, Points> by_size;
    std::map<double, std::map<uint64_t, Points>> by_seed;  // size -> seed -> its runs' points
    for (const results::RunResults& run : results.runs) {
      if (!run.completed()) continue;
      for (const results::CheckpointResults& c : run.checkpoints) {
        const store::MetricRow* m = results::find_metric(c, task_, metric_);
        if (m == nullptr || !std::isfinite(c.row.validation_loss) || !std::isfinite(m->value))
          continue;
        loss.push_back(c.row.validation_loss);
        score.push_back(m->value);
        for (Points* p : {&by_size[double(run.row.plan.parameters)],
                          &by_seed[double(run.row.plan.parameters)][run.row.plan.seed]}) {
          p->first.push_back(c.row.validation_loss);
          p->second.push_back(m->value);
        }
      }
    }
    Measurements out;
    out.add("points", double(loss.size()), "checkpoints with a validation loss and the metric");
    out.add("sizes", double(by_size.size()), "model sizes among them");
    const double top = score.empty() ? NAN : *std::max_element(score.begin(), score.end());
    out.add("score_rise", top - chance_,
            fmt::format("highest {} of any checkpoint minus chance ({})", metric_, chance_));
    if (loss.size() < 4) return out;
    const analysis::ThresholdCurveFit shared = analysis::fit_threshold_curve(loss, score, chance_);
    // Per size, where its own curve puts η; sizes whose score never leaves chance by 0.1 have no
    // rise to place a threshold on.
    const auto own_threshold = [&](const Points& points) {
      const auto& [l, s] = points;
      if (l.size() < 4 || *std::max_element(s.begin(), s.end()) < chance_ + 0.1) return double(NAN);
      return analysis::fit_threshold_curve(l, s, chance_).curve.threshold;
    };
    double lowest = INFINITY, highest = -INFINITY;
    int placed = 0;
    for (const auto& [params, points] : by_size) {
      const double eta = own_threshold(points);
      if (std::isnan(eta)) continue;
      lowest = std::min(lowest, eta);
      highest = std::max(highest, eta);
      ++placed;
    }
    // Per size and seed: the seeds' spread of η within a size (pooled over sizes) is how far two
    // sizes' thresholds may differ by chance. Each size's mean over its seeds gets a 95% interval
    // from it; the largest gap between two sizes' intervals says how far the sizes' thresholds
    // differ beyond the seeds' own spread (≤ 0 when every pair of intervals overlaps).
    size_t seeds = 0;
    std::vector<std::vector<double>> seed_etas;
    for (const auto& [params, runs] : by_seed) {
      seeds = std::max(seeds, runs.size());
      std::vector<double> etas;
      for (const auto& [seed, points] : runs) etas.push_back(own_threshold(points));
      seed_etas.push_back(etas);
    }
    const analysis::SeedSpread seed_spread = analysis::pooled_seed_spread(seed_etas);
    double gap = NAN;
    if (seed_spread.dof > 0) {
      std::vector<std::pair<double, double>> intervals;  // mean ∓ half-width per size
      for (const std::vector<double>& etas : seed_etas) {
        double sum = 0;
        int k = 0;
        for (double eta : etas)
          if (std::isfinite(eta)) sum += eta, ++k;
        if (k == 0) continue;
        const double half = seed_spread.half_width() / std::sqrt(double(k));
        intervals.push_back({sum / k - half, sum / k + half});
      }
      for (const auto& a : intervals)
        for (const auto& b : intervals)
          gap = std::isnan(gap) ? b.first - a.second : std::max(gap, b.first - a.second);
    }
    double mean = 0, total = 0;
    for (double s : score) mean += s / double(score.size());
    for (double s : score) total += (s - mean) * (s - mean);
    out.add("threshold", shared.curve.threshold,
            fmt::format("η of the one curve {} = {} + (1 − {})(1 − e^(−s·max(0, η − loss))), in "
                        "nats, with its 95% profile interval",
                        metric_, chance_, chance_),
            shared.lower, shared.upper);
    out.add("threshold_interval_width", shared.upper - shared.lower,
            "width of η's 95% profile interval (every η whose best residual stays within "
            "F(1, k − 2) of the least)");
    out.add("threshold_spread", placed >= 2 ? highest - lowest : NAN,
            "largest minus smallest η among the per-size curves (sizes whose score rose by 0.1 "
            "or more)");
    out.add("sizes_with_threshold", double(placed), "sizes whose score rose enough to place η");
    out.add("seeds", double(seeds), "most seeds of one size");
    out.add("seed_threshold_sd", seed_spread.sd,
            "pooled standard deviation of η over the seeds of one size (each seed's own curve, "
            "seeds whose score rose by 0.1), in nats; NaN with one seed");
    out.add("threshold_seed_gap", gap,
            "largest gap between two sizes' 95% intervals of η (mean over seeds ± t·sd/√seeds), "
            "in nats: ≤ 0 when every pair overlaps; NaN with one seed");
    out.add("shared_r2", total > 0 ? 1 - shared.rss / total : NAN,
            "share of the score's variance the one curve explains");
    return out;
  }

  std::optional<SeedNoise> seed_noise() const override {
    return SeedNoise{eta_seed_noise_, "seed_threshold_sd"};
  }
  std::shared_ptr<const StudyKind> with_seed_noise(double sd) const override {
    auto copy = std::make_shared<LossThresholdKind>(*this);
    copy->eta_seed_noise_ = sd;
    return copy;
  }

  std::optional<SimulatedEffects> simulated_effects() const override {
    return SimulatedEffects{
        fmt::format(
            "validation loss L = 0.2 + 30/N^0.3 + 40/D^0.35 at every checkpoint (D its tokens "
            "so far, seed noise 0.03 nats); the score is c + (1 − c)(1 − e^(−s(η − L))) below "
            "one η ~ U(1.3, 1.8) with s ~ U(2, 4) for every size, each run's η off by seed "
            "noise (sd {} nats), as proportions over the design's examples",
            eta_seed_noise_),
        "the same, but each size has its own threshold: η rises by 0.3 nats per decade of N "
        "(a larger model scores the same at a higher loss)"};
  }

  void simulate(results::ResultSet& planned, Effect effect, Rng& rng) const override {
    const double eta = 1.3 + 0.5 * rng.uniform(), rate = 2 + 2 * rng.uniform();
    double smallest = INFINITY;
    for (const results::RunResults& run : planned.runs)
      smallest = std::min(smallest, double(run.row.plan.parameters));
    for (results::RunResults& run : planned.runs) {
      const double n_params = double(run.row.plan.parameters);
      // A run's own η strays from its size's by seed noise: what seeds are compared against.
      const double own_eta =
          eta + (effect == Effect::kAbsent ? 0.3 * std::log10(n_params / smallest) : 0.0) +
          eta_seed_noise_ * rng.normal();
      const double seed_noise = 0.03 * rng.normal();
      const int64_t n = evaluated_examples(run);
      for (results::CheckpointResults& c : run.checkpoints) {
        const double tokens = std::max(1.0, double(c.row.tokens));
        const double loss =
            0.2 + 30 / std::pow(n_params, 0.3) + 40 / std::pow(tokens, 0.35) + seed_noise;
        c.row.validation_loss = loss;
        const double p = analysis::ThresholdCurve{own_eta, rate, chance_}.at(loss);
        c.metrics.push_back(proportion_row(task_, metric_, sample_proportion(p, n, rng), n));
      }
    }
  }

 private:
  std::string task_, metric_;
  double chance_;
  double eta_seed_noise_ = 0.05;  // how far a run's η strays from its size's (sd, nats), simulated
};

}  // namespace

std::unique_ptr<StudyKind> make_loss_threshold_kind(io::TomlSection& analysis) {
  std::string task, metric = "exact_match";
  double chance = 0;
  analysis.read("task", task);
  analysis.read("metric", metric);
  analysis.read("chance", chance);
  if (task.empty()) analysis.invalid("task", "name the task, e.g. \"add(digits=3)\"");
  if (!(chance >= 0 && chance < 1)) analysis.invalid("chance", "expected a number in [0, 1)");
  return std::make_unique<LossThresholdKind>(task, metric, chance);
}

}  // namespace emlab::study
