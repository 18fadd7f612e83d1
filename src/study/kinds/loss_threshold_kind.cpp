// loss-threshold (Du et al. 2024): does a task's score depend on model size only through the
// pre-training (validation) loss? One hinge score = c + s·max(0, η − L) over every checkpoint of
// every size, against one hinge per size: the shared fit's residual against the separate fits',
// the threshold η with its bootstrap interval, and the spread of the per-size thresholds.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "analysis/hinge_fit.hpp"
#include "results/scale_points.hpp"
#include "study/study_kind.hpp"

namespace emlab::study {

namespace {

class LossThresholdKind final : public StudyKind {
 public:
  LossThresholdKind(std::string task, std::string metric, double chance, int resamples)
      : task_(std::move(task)),
        metric_(std::move(metric)),
        chance_(chance),
        resamples_(resamples) {}

  std::vector<std::string> tasks() const override { return {task_}; }
  std::vector<std::string> measurement_names() const override {
    return {"points",           "sizes",     "threshold", "threshold_interval_width",
            "threshold_spread", "shared_r2", "rss_ratio", "flat_fraction"};
  }

  Measurements measure(const results::ResultSet& results) const override {
    std::vector<double> loss, score;
    std::map<double, std::pair<std::vector<double>, std::vector<double>>> by_size;
    for (const results::RunResults& run : results.runs) {
      if (!run.completed()) continue;
      for (const results::CheckpointResults& c : run.checkpoints) {
        const store::MetricRow* m = results::find_metric(c, task_, metric_);
        if (m == nullptr || !std::isfinite(c.row.validation_loss)) continue;
        loss.push_back(c.row.validation_loss);
        score.push_back(m->value);
        auto& [l, s] = by_size[double(run.row.plan.parameters)];
        l.push_back(c.row.validation_loss);
        s.push_back(m->value);
      }
    }
    Measurements out;
    out.add("points", double(loss.size()), "checkpoints with a validation loss and the metric");
    out.add("sizes", double(by_size.size()), "model sizes among them");
    if (loss.size() < 4) return out;
    const analysis::HingeFit shared = analysis::fit_hinge(loss, score, chance_, resamples_, 1);
    double separate_rss = 0, lowest = INFINITY, highest = -INFINITY;
    for (const auto& [params, points] : by_size) {
      const auto& [l, s] = points;
      const analysis::HingeParams p = analysis::fit_hinge_point(l, s, chance_);
      for (size_t i = 0; i < l.size(); ++i) separate_rss += std::pow(p.at(l[i]) - s[i], 2);
      if (std::isfinite(p.threshold)) {
        lowest = std::min(lowest, p.threshold);
        highest = std::max(highest, p.threshold);
      }
    }
    double mean = 0, total = 0;
    for (double s : score) mean += s / double(score.size());
    for (double s : score) total += (s - mean) * (s - mean);
    const auto& eta = shared.threshold;
    out.add("threshold", shared.params.threshold,
            fmt::format("η of the shared hinge {} = {} + s·max(0, η − loss), in nats", metric_,
                        chance_),
            eta.interval.lower, eta.interval.upper);
    out.add("threshold_interval_width", eta.interval.upper - eta.interval.lower,
            fmt::format("width of η's 95% bootstrap interval ({} resamples over checkpoints)",
                        resamples_));
    out.add("threshold_spread", highest >= lowest ? highest - lowest : NAN,
            "largest minus smallest η among the per-size hinge fits that found one");
    out.add("shared_r2", total > 0 ? 1 - shared.rss / total : NAN,
            "share of the score's variance the one shared hinge explains");
    out.add("rss_ratio", separate_rss > 0 ? shared.rss / separate_rss : NAN,
            "residual sum of squares of the shared hinge over that of one hinge per size (1: the "
            "sizes need nothing but their loss)");
    out.add("flat_fraction", shared.flat_fraction,
            "share of bootstrap refits whose best hinge was flat (no threshold)");
    return out;
  }

 private:
  std::string task_, metric_;
  double chance_;
  int resamples_;
};

}  // namespace

std::unique_ptr<StudyKind> make_loss_threshold_kind(io::TomlSection& analysis) {
  std::string task, metric = "exact_match";
  double chance = 0;
  int resamples = 1000;
  analysis.read("task", task);
  analysis.read("metric", metric);
  analysis.read("chance", chance);
  analysis.read("bootstrap_resamples", resamples);
  if (task.empty()) analysis.invalid("task", "name the task, e.g. \"add(digits=3)\"");
  if (resamples < 10) analysis.invalid("bootstrap_resamples", "expected at least 10");
  return std::make_unique<LossThresholdKind>(task, metric, chance, resamples);
}

}  // namespace emlab::study
