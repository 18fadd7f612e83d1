// composition (Arora & Goyal 2023): a task that needs k skills succeeds only when all do, so its
// accuracy tracks the product of its parts' and appears when the weakest part matures, however
// smoothly each part improves. Over every checkpoint of every size: the composite's metric
// against the product of its parts', and the step (per configuration, its seeds' curves averaged)
// and the size (at the largest budget) at which the composite first reaches a level against those
// of its weakest part.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <utility>

#include "analysis/wei_test.hpp"
#include "results/scale_points.hpp"
#include "study/simulated_design.hpp"
#include "study/study_kind.hpp"

namespace emlab::study {

namespace {

constexpr double kNever = std::numeric_limits<double>::infinity();

class CompositionKind final : public StudyKind {
 public:
  CompositionKind(std::string composite, std::vector<std::string> parts, std::string metric,
                  double level)
      : composite_(std::move(composite)),
        parts_(std::move(parts)),
        metric_(std::move(metric)),
        level_(level) {}

  std::vector<std::string> tasks() const override {
    std::vector<std::string> all = parts_;
    all.push_back(composite_);
    return all;
  }
  std::vector<std::string> measurement_names() const override {
    return {"points",
            "product_rmse",
            "product_mean_difference",
            "product_inside_fraction",
            "product_agreement_fraction",
            "crossing_runs",
            "step_lag_min",
            "step_lag_max",
            "composite_crossing_params",
            "weakest_crossing_params"};
  }

  Measurements measure(const results::ResultSet& results) const override {
    double squared = 0, difference = 0, inside = 0, agrees = 0;
    int points = 0;
    // The crossings are read from each configuration's curves averaged over its seeds: with
    // several seeds, one seed's sampling noise at one checkpoint would otherwise decide "every
    // run" (simulated at 3 seeds: power 0.66 per run).
    std::map<std::pair<int64_t, int64_t>, std::map<int64_t, SeedSum>> curves;
    for (const results::RunResults& run : results.runs) {
      if (!run.completed()) continue;
      auto& curve = curves[{run.row.plan.parameters, run.row.plan.tokens}];
      for (const results::CheckpointResults& c : run.checkpoints) {
        const store::MetricRow* whole = results::find_metric(c, composite_, metric_);
        double product = 1;
        bool complete = whole != nullptr;
        std::vector<const store::MetricRow*> parts;
        for (const std::string& part : parts_) {
          const store::MetricRow* m = results::find_metric(c, part, metric_);
          if (m == nullptr) {
            complete = false;
            break;
          }
          parts.push_back(m);
          product *= m->value;
        }
        if (!complete) continue;
        SeedSum& sum = curve[std::max<int64_t>(c.row.step, 1)];
        sum.parts.resize(parts.size());
        sum.whole += whole->value;
        for (size_t i = 0; i < parts.size(); ++i) sum.parts[i] += parts[i]->value;
        ++sum.seeds;
        agrees +=
            std::abs(whole->value - product) <= 1.96 * difference_error(*whole, parts) ? 1 : 0;
        ++points;
        squared += std::pow(whole->value - product, 2);
        difference += product - whole->value;
        if (whole->n > 0)
          inside +=
              analysis::wilson_interval(whole->value, double(whole->n), 0.95).contains(product) ? 1
                                                                                                : 0;
      }
    }
    int crossing_runs = 0;
    double lag_min = kNever, lag_max = -kNever;
    for (const auto& [configuration, curve] : curves) {
      double composite_step = kNever, weakest_step = kNever;
      for (const auto& [step, sum] : curve) {
        double weakest = 1;
        for (double part : sum.parts) weakest = std::min(weakest, part / sum.seeds);
        if (sum.whole / sum.seeds >= level_)
          composite_step = std::min(composite_step, double(step));
        if (weakest >= level_) weakest_step = std::min(weakest_step, double(step));
      }
      if (std::isinf(composite_step) && std::isinf(weakest_step)) continue;
      ++crossing_runs;
      // log10 of the composite's crossing step over the weakest part's: 0 when they cross at
      // the same checkpoint; -inf when the composite crosses and its weakest part never does.
      const double lag = std::log10(composite_step / weakest_step);
      lag_min = std::min(lag_min, lag);
      lag_max = std::max(lag_max, lag);
    }
    Measurements out;
    out.add("points", double(points),
            fmt::format("checkpoints with {} of {} and of every part ({})", metric_, composite_,
                        fmt::join(parts_, ", ")));
    out.add("product_rmse", points > 0 ? std::sqrt(squared / points) : NAN,
            "root mean square of (composite − product of the parts)");
    out.add("product_mean_difference", points > 0 ? difference / points : NAN,
            "mean of (product of the parts − composite): positive when the composite falls short");
    out.add("product_inside_fraction", points > 0 ? inside / points : NAN,
            "share of checkpoints whose composite 95% Wilson interval holds the product (the "
            "parts' own sampling error left out)");
    out.add("product_agreement_fraction", points > 0 ? agrees / points : NAN,
            "share of checkpoints at which composite and product differ by at most 1.96 standard "
            "errors of their difference (every proportion's sampling error, Agresti-Coull; the "
            "product's by the delta method)");
    out.add("crossing_runs", double(crossing_runs),
            fmt::format("configurations (size and budget; the seeds' curves averaged) in which the "
                        "composite or its weakest part reached {}",
                        level_));
    out.add("step_lag_min", crossing_runs > 0 ? lag_min : NAN,
            "smallest log10(composite's crossing step / weakest part's) over those configurations "
            "(inf: the composite never crossed; -inf: it crossed before its weakest part did)");
    out.add("step_lag_max", crossing_runs > 0 ? lag_max : NAN, "largest such lag, in decades");

    auto crossing_params = [&](const std::function<double(const results::RunResults&)>& score) {
      double first = kNever;
      const int64_t budget = results::largest_budget(results);
      for (const results::RunResults& run : results.runs)
        if (run.completed() && run.row.plan.tokens == budget && score(run) >= level_)
          first = std::min(first, double(run.row.plan.parameters));
      return first;
    };
    auto final_value = [&](const results::RunResults& run, const std::string& task) {
      const store::MetricRow* m = results::find_metric(*run.last(), task, metric_);
      return m == nullptr ? NAN : m->value;
    };
    out.add("composite_crossing_params", crossing_params([&](const results::RunResults& r) {
              return final_value(r, composite_);
            }),
            fmt::format("smallest model at the largest budget whose composite reached {}", level_));
    out.add(
        "weakest_crossing_params", crossing_params([&](const results::RunResults& r) {
          // Only runs that evaluate the composite: another arm of the database may train the
          // same parts beside another composite.
          if (std::isnan(final_value(r, composite_))) return double(NAN);
          double weakest = 1;
          for (const auto& part : parts_) weakest = std::min(weakest, final_value(r, part));
          return weakest;
        }),
        fmt::format("smallest model at the largest budget whose weakest part reached {}", level_));
    return out;
  }

  std::optional<SimulatedEffects> simulated_effects() const override {
    return SimulatedEffects{
        "each part's score is a logistic in log10 steps (scale 0.15 decades) whose midpoint "
        "lies at U(0.55, 1.05) of the design's log-step range for the smallest model and 0.4 of "
        "the range earlier for the largest (parts drawn apart; seed noise 0.05 decades a run); "
        "the composite's is the product of its parts', each a proportion over the examples its "
        "test split holds",
        "half the worlds: the composite is learnt as a unit, a logistic of its own 0.3-0.6 "
        "decades of steps before its weakest part; the other half: it tracks one part chosen at "
        "random and ignores the other"};
  }

  void simulate(results::ResultSet& planned, Effect effect, Rng& rng) const override {
    double lowest_step = INFINITY, highest_step = 0, smallest = INFINITY, largest = 0;
    for (const results::RunResults& run : planned.runs) {
      lowest_step =
          std::min(lowest_step, double(std::max<int64_t>(run.checkpoints.front().row.step, 1)));
      highest_step = std::max(highest_step, double(run.checkpoints.back().row.step));
      smallest = std::min(smallest, double(run.row.plan.parameters));
      largest = std::max(largest, double(run.row.plan.parameters));
    }
    const double low = std::log10(lowest_step), range = std::log10(highest_step) - low;
    const double sizes = std::max(std::log10(largest / smallest), 1e-9);
    std::vector<double> start;  // each part's midpoint for the smallest model, as a share of range
    for (size_t i = 0; i < parts_.size(); ++i) start.push_back(0.55 + 0.5 * rng.uniform());
    const bool as_unit = rng.uniform() < 0.5;
    const size_t tracked = rng.below(parts_.size());
    const double unit_lead = 0.3 + 0.3 * rng.uniform();
    auto logistic = [](double x, double centre) {
      return 1 / (1 + std::exp(-(x - centre) / 0.15));
    };
    for (results::RunResults& run : planned.runs) {
      const double size = std::log10(double(run.row.plan.parameters) / smallest) / sizes;
      std::vector<double> centres;
      for (double s : start)
        centres.push_back(low + range * (s - 0.4 * size) + 0.05 * rng.normal());
      const double weakest = *std::max_element(centres.begin(), centres.end());
      const int64_t wanted = evaluated_examples(run);
      for (results::CheckpointResults& c : run.checkpoints) {
        const double x = std::log10(double(std::max<int64_t>(c.row.step, 1)));
        double product = 1;
        for (size_t i = 0; i < parts_.size(); ++i) {
          const double p = logistic(x, centres[i]);
          product *= p;
          add_score(c, parts_[i], p, wanted, rng);
        }
        double whole = product;
        if (effect == Effect::kAbsent)
          whole = as_unit ? logistic(x, weakest - unit_lead) : logistic(x, centres[tracked]);
        add_score(c, composite_, whole, wanted, rng);
      }
    }
  }

 private:
  // One checkpoint step of one configuration: its metrics summed over the seeds that reached it.
  struct SeedSum {
    double whole = 0;
    std::vector<double> parts;
    int seeds = 0;
  };

  // The standard error of (composite − product of the parts) from the sampling error of each
  // proportion: Agresti-Coull's (x + 2)/(n + 4), so that 0 or 1 out of a few examples is not
  // taken as certain; the product's by the delta method.
  static double difference_error(const store::MetricRow& whole,
                                 const std::vector<const store::MetricRow*>& parts) {
    auto variance = [](const store::MetricRow& m) {
      const double n = double(std::max<int64_t>(m.n, 1)) + 4;
      const double p = (m.value * double(std::max<int64_t>(m.n, 1)) + 2) / n;
      return p * (1 - p) / n;
    };
    double total = variance(whole);
    for (size_t i = 0; i < parts.size(); ++i) {
      double others = 1;
      for (size_t j = 0; j < parts.size(); ++j)
        if (j != i) others *= parts[j]->value;
      total += others * others * variance(*parts[i]);
    }
    return std::sqrt(total);
  }

  // A score as the evaluator would store it, over the examples the task's test split holds.
  void add_score(results::CheckpointResults& c, const std::string& task, double p, int64_t wanted,
                 Rng& rng) const {
    int64_t n = 0;
    {
      std::lock_guard<std::mutex> lock(examples_mutex_);
      const std::string key = fmt::format("{} x{}", task, wanted);
      auto found = examples_.find(key);
      if (found == examples_.end())
        found = examples_.emplace(key, test_examples(task, wanted)).first;
      n = found->second;
    }
    c.metrics.push_back(proportion_row(task, metric_, sample_proportion(p, n, rng), n));
  }

  std::string composite_;
  std::vector<std::string> parts_;
  std::string metric_;
  double level_;
  mutable std::mutex examples_mutex_;
  mutable std::map<std::string, int64_t> examples_;  // per task and examples asked for
};

}  // namespace

std::unique_ptr<StudyKind> make_composition_kind(io::TomlSection& analysis) {
  std::string composite, metric = "exact_match";
  std::vector<std::string> parts;
  double level = 0.5;
  analysis.read("composite", composite);
  analysis.read("parts", parts);
  analysis.read("metric", metric);
  analysis.read("level", level);
  if (composite.empty()) analysis.invalid("composite", "name the composite task");
  if (parts.size() < 2) analysis.invalid("parts", "give at least two part tasks");
  if (!(level > 0 && level <= 1)) analysis.invalid("level", "expected a level in (0, 1]");
  return std::make_unique<CompositionKind>(composite, parts, metric, level);
}

}  // namespace emlab::study
