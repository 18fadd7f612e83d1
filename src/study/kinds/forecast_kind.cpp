// forecast: fit on the cheaper part of a family, predict the rest. The fitted part is the smaller
// half of the sizes (split = "size"), or every run and checkpoint of at most the median run's
// training compute (split = "compute": the larger models' cheap runs and early checkpoints are
// known before their expensive ones, as in Ruan et al. 2024's FLOPs cutoff). The loss of every
// held-out run from a scaling law fitted to the fitted runs' final losses (Chinchilla's L(N, D)
// when they vary both scales, else a power law in compute); a task's score from its validation
// loss through a sigmoid fitted to every fitted checkpoint (score as a function of loss, Du et al.
// 2024); chained, the score and the size at which it crosses a level at the largest budget,
// against what the held-out runs did. Seeds of one (size, budget) are averaged before they are
// compared, and their spread widens each run's interval.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "analysis/forecast.hpp"
#include "analysis/seed_spread.hpp"
#include "analysis/sigmoid_fit.hpp"
#include "results/fit_settings.hpp"
#include "results/loss_points.hpp"
#include "results/scale_points.hpp"
#include "study/simulated_design.hpp"
#include "study/study_kind.hpp"

namespace emlab::study {

namespace {

enum class Split { size, compute };

// Training compute of a run or checkpoint: its stored FLOPs, else 6·N·D (Kaplan et al. 2020).
double compute_of(double flops, double params, double tokens) {
  return std::isfinite(flops) && flops > 0 ? flops : 6 * params * tokens;
}

// Which runs and checkpoints the forecast may see.
struct FittedPart {
  Split split = Split::size;
  double cutoff = NAN;  // largest fitted size (size) or compute (compute)
  // A run's final checkpoint: is the run fitted (its loss is a point of the law)?
  bool run(double params, double compute) const {
    return split == Split::size ? params <= cutoff : compute <= cutoff * (1 + 1e-9);
  }
  // May the sigmoid in loss see this checkpoint of a run?
  bool checkpoint(double params, double compute) const { return run(params, compute); }
  // How far beyond the fitted part, in doublings (the simulator's departure).
  double doublings_beyond(double params, double compute) const {
    const double x = split == Split::size ? params : compute;
    return x > cutoff ? std::log2(x / cutoff) : 0.0;
  }
};

// The smaller half of the sizes, or of the (size, budget) cells ordered by compute; the middle
// one is fitted. Cells without a positive size are left out.
FittedPart fitted_part(const results::ResultSet& results, Split split) {
  std::set<double> values;
  for (const results::RunResults& run : results.runs) {
    const results::CheckpointResults* last = run.last();
    if (!run.completed() || last == nullptr || run.row.plan.parameters <= 0) continue;
    const double params = double(run.row.plan.parameters);
    values.insert(split == Split::size
                      ? params
                      : compute_of(last->row.flops, params, double(last->row.tokens)));
  }
  FittedPart part;
  part.split = split;
  if (values.empty()) return part;
  const std::vector<double> ordered(values.begin(), values.end());
  part.cutoff = ordered[(ordered.size() + 1) / 2 - 1];
  return part;
}

// The simulations' law of loss in N and D (nats), the same for every run.
double law_loss(double params, double tokens) {
  return 0.2 + 30 / std::pow(params, 0.3) + 40 / std::pow(tokens, 0.35);
}

// A completed run as the forecast compares it: its final loss and score.
struct RunView {
  double loss = NAN, score = NAN;
  int64_t examples = 0;
};

// One (size, budget) of the design: its seeds, and whether the forecast may see them.
struct Cell {
  double params = 0, tokens = 0, compute = 0;
  bool fitted = false;
  std::vector<RunView> runs;
  // Mean over the seeds that measured it (NaN when none did).
  double mean(double RunView::*field) const {
    double sum = 0;
    int n = 0;
    for (const RunView& r : runs)
      if (std::isfinite(r.*field)) sum += r.*field, ++n;
    return n > 0 ? sum / n : NAN;
  }
};

// The design's cells in order of size, then budget.
std::vector<Cell> design_cells(const results::ResultSet& results, const FittedPart& part,
                               const std::string& task, const std::string& metric) {
  std::map<std::pair<double, double>, Cell> cells;
  for (const results::RunResults& run : results.runs) {
    const results::CheckpointResults* last = run.last();
    if (!run.completed() || last == nullptr || run.row.plan.parameters <= 0) continue;
    Cell& cell = cells[{double(run.row.plan.parameters), double(run.row.plan.tokens)}];
    cell.params = double(run.row.plan.parameters);
    cell.tokens = double(run.row.plan.tokens);
    cell.compute = compute_of(last->row.flops, cell.params, double(last->row.tokens));
    cell.fitted = part.run(cell.params, cell.compute);
    RunView v;
    v.loss = last->row.validation_loss;
    if (const store::MetricRow* m = results::find_metric(*last, task, metric)) {
      v.score = m->value;
      v.examples = m->n;
    }
    cell.runs.push_back(v);
  }
  std::vector<Cell> out;
  for (auto& [key, cell] : cells) out.push_back(std::move(cell));
  return out;
}

class ForecastKind final : public StudyKind {
 public:
  ForecastKind(std::string task, std::string metric, double level, double chance, double ceiling,
               int resamples, Split split, bool full_fits = true)
      : task_(std::move(task)),
        metric_(std::move(metric)),
        level_(level),
        chance_(chance),
        ceiling_(ceiling),
        resamples_(resamples),
        split_(split),
        full_fits_(full_fits) {}

  // Simulations fit L(N, D) from the 32-start grid, not 4,500 starts, the sigmoid from 2 start
  // midpoints, not 5, and draw no bootstrap resamples: the rule reads no interval, and a world of
  // three seeds at ten checkpoints would otherwise cost seconds.
  std::shared_ptr<const StudyKind> for_simulation() const override {
    return std::make_shared<ForecastKind>(task_, metric_, level_, chance_, ceiling_, 0, split_,
                                          false);
  }

  std::vector<std::string> tasks() const override { return {task_}; }
  std::vector<std::string> measurement_names() const override {
    return {"train_sizes",
            "fitted_runs",
            "held_out_runs",
            "seeds",
            "loss_seed_sd",
            "loss_error",
            "loss_relative_error",
            "loss_coverage",
            "fitted_score_max",
            "score_error",
            "score_coverage",
            "crossing_predicted_params",
            "crossing_observed_params",
            "crossing_match",
            "crossing_held_out",
            "ability_appeared"};
  }

  Measurements measure(const results::ResultSet& results) const override {
    Measurements out;
    const FittedPart part = fitted_part(results, split_);
    const std::vector<Cell> cells = design_cells(results, part, task_, metric_);
    std::set<double> fitted_sizes, fitted_budgets;
    int fitted_runs = 0, held_out_runs = 0;
    size_t seeds = 0;
    for (const Cell& cell : cells) {
      seeds = std::max(seeds, cell.runs.size());
      (cell.fitted ? fitted_runs : held_out_runs) += int(cell.runs.size());
      if (!cell.fitted) continue;
      fitted_sizes.insert(cell.params);
      fitted_budgets.insert(cell.tokens);
    }
    out.add("train_sizes", double(fitted_sizes.size()),
            split_ == Split::size
                ? "model sizes the forecast may see (the smaller half, the middle one included)"
                : "model sizes among the runs the forecast may see (at most the median run's "
                  "training compute)");
    out.add("fitted_runs", double(fitted_runs),
            "completed runs the forecast may see (their seeds' mean final loss is a point of the "
            "law)");
    out.add("seeds", double(seeds), "most runs of one size and budget (seeds are averaged)");
    if (fitted_sizes.size() < 2 || held_out_runs == 0) return out;

    // Seeds: how far one run's final loss strays from its cell's mean, among the fitted runs.
    std::vector<std::vector<double>> fitted_losses;
    for (const Cell& cell : cells) {
      if (!cell.fitted) continue;
      fitted_losses.emplace_back();
      for (const RunView& r : cell.runs) fitted_losses.back().push_back(r.loss);
    }
    const analysis::SeedSpread loss_spread = analysis::pooled_seed_spread(fitted_losses);
    out.add("loss_seed_sd", loss_spread.sd,
            "pooled standard deviation of the fitted runs' final loss over seeds, in nats (NaN "
            "with one seed)");

    // Loss of the held-out cells from a law fitted to the fitted cells' seed means.
    std::vector<analysis::LossPoint> points;
    for (size_t i = 0; i < cells.size(); ++i) {
      const double loss = cells[i].mean(&RunView::loss);
      if (std::isfinite(loss))
        points.push_back(
            {std::to_string(i), cells[i].params, cells[i].tokens, cells[i].compute, loss, 0});
    }
    const analysis::ScaleAxis axis =
        split_ == Split::size ? analysis::ScaleAxis::params : analysis::ScaleAxis::flops;
    analysis::LossForecastOptions loss_options = results::study_loss_forecast(resamples_);
    loss_options.full_grid = full_fits_;
    if (fitted_sizes.size() < 3 || fitted_budgets.size() < 3) loss_options.form = "power_law";
    const analysis::LossForecast losses =
        analysis::forecast_loss(points, axis, part.cutoff, loss_options);
    out.add("held_out_runs", double(held_out_runs),
            fmt::format("held-out runs predicted ({} fitted to {} sizes × budgets)",
                        losses.form == "chinchilla" ? "L(N, D)" : "a power law in compute",
                        losses.train_points));
    // One run's interval: the law's bootstrap interval widened, in quadrature, by the spread of
    // one run over seeds (the law predicts their mean).
    const double seed_half = loss_spread.half_width();
    const auto widened = [&](const analysis::LossForecastRow& row) {
      return analysis::Interval{
          row.predicted - std::hypot(row.predicted - row.interval.lower, seed_half),
          row.predicted + std::hypot(row.interval.upper - row.predicted, seed_half)};
    };
    std::map<size_t, const analysis::LossForecastRow*> predicted;  // cell index -> row
    for (const auto& row : losses.rows) predicted[std::stoul(row.model)] = &row;
    double nats = 0, relative = 0, covered = 0, runs = 0;
    for (const auto& [i, row] : predicted) {
      nats += std::abs(row->predicted - row->observed);
      relative += std::abs(row->relative_error);
      for (const RunView& r : cells[i].runs) {
        if (!std::isfinite(r.loss)) continue;
        covered += widened(*row).contains(r.loss) ? 1 : 0;
        runs += 1;
      }
    }
    const double held_cells = double(predicted.size());
    out.add("loss_error", held_cells > 0 ? nats / held_cells : NAN,
            "mean |predicted − observed| of the held-out runs' final validation loss, in nats "
            "(seeds of one size and budget averaged)");
    out.add("loss_relative_error", held_cells > 0 ? relative / held_cells : NAN,
            "mean |predicted/observed − 1| of the same");
    out.add("loss_coverage", runs > 0 ? covered / runs : NAN,
            "share of held-out runs inside their 95% interval (the law's bootstrap, widened by "
            "the seeds' spread)");

    // Score as a function of loss, from every checkpoint the forecast may see.
    std::vector<double> train_loss, train_score;
    for (const results::RunResults& run : results.runs) {
      if (!run.completed() || run.row.plan.parameters <= 0) continue;
      const double params = double(run.row.plan.parameters);
      for (const results::CheckpointResults& c : run.checkpoints) {
        const store::MetricRow* m = results::find_metric(c, task_, metric_);
        if (m == nullptr || !std::isfinite(c.row.validation_loss)) continue;
        if (!part.checkpoint(params, compute_of(c.row.flops, params, double(c.row.tokens))))
          continue;
        train_loss.push_back(c.row.validation_loss);
        train_score.push_back(m->value);
      }
    }
    out.add("fitted_score_max",
            train_score.empty() ? NAN : *std::max_element(train_score.begin(), train_score.end()),
            fmt::format("highest {} among the checkpoints the sigmoid is fitted to: how much of "
                        "the rise the forecast saw",
                        metric_));
    if (train_loss.size() < 5) return out;
    analysis::SigmoidOptions sigmoid_options;
    sigmoid_options.fix_floor = true;
    sigmoid_options.floor = chance_;
    sigmoid_options.fix_ceiling = std::isfinite(ceiling_);
    sigmoid_options.ceiling = ceiling_;
    sigmoid_options.bootstrap_resamples = resamples_;
    sigmoid_options.seed = 1;
    if (!full_fits_) sigmoid_options.start_positions = 2;
    const analysis::SigmoidFit sigmoid =
        analysis::fit_sigmoid(train_loss, train_score, sigmoid_options);

    double error = 0, inside = 0, banded = 0;
    int scored_cells = 0;
    std::map<double, double> predicted_at;  // params at the largest budget -> predicted score
    const double largest = double(results::largest_budget(results));
    for (const auto& [i, row] : predicted) {
      const double observed = cells[i].mean(&RunView::score);
      if (!std::isfinite(observed)) continue;
      const double score = sigmoid.params.at(row->predicted);
      error += std::abs(score - observed);
      ++scored_cells;
      if (cells[i].tokens == largest) predicted_at[cells[i].params] = score;
      // Band: the sigmoid's refits at the predicted loss and the point sigmoid at the ends of a
      // run's loss interval, each end then widened by the binomial error of a run's examples.
      const analysis::Interval loss_band = widened(*row);
      std::vector<double> samples = {sigmoid.params.at(loss_band.lower),
                                     sigmoid.params.at(loss_band.upper)};
      for (const auto& b : sigmoid.bootstrap) samples.push_back(b.at(row->predicted));
      const analysis::Interval band = analysis::percentile_interval(samples, 0.95);
      for (const RunView& r : cells[i].runs) {
        if (!std::isfinite(r.score)) continue;
        const auto binomial = [&](double q) {
          q = std::clamp(q, 0.0, 1.0);
          return 1.96 * std::sqrt(q * (1 - q) / double(std::max<int64_t>(r.examples, 1)));
        };
        inside +=
            analysis::Interval{band.lower - binomial(band.lower), band.upper + binomial(band.upper)}
                    .contains(r.score)
                ? 1
                : 0;
        banded += 1;
      }
    }
    out.add("score_error", scored_cells > 0 ? error / scored_cells : NAN,
            fmt::format("mean |predicted − observed| {} of the held-out runs (seeds averaged; "
                        "score from predicted loss through the sigmoid in loss)",
                        metric_));
    out.add("score_coverage", banded > 0 ? inside / banded : NAN,
            "share of held-out runs inside the prediction's 95% band (sigmoid refits at the "
            "predicted loss, the point sigmoid at the ends of the loss interval with the seeds' "
            "spread, and each run's binomial error)");

    // Where the ability crosses the level at the largest budget (seeds averaged): predicted for
    // held-out runs, observed for fitted ones in both.
    const auto curve = results::final_curve(results, task_, metric_);
    double predicted_cross = INFINITY, observed_cross = INFINITY;
    bool observed_held_out = false;
    for (const results::ScalePoint& p : curve) {
      const auto cell = std::find_if(cells.begin(), cells.end(), [&](const Cell& c) {
        return c.params == p.params && c.tokens == largest;
      });
      const bool fitted = cell != cells.end() && cell->fitted;
      if (p.value >= level_ && p.params < observed_cross) {
        observed_cross = p.params;
        observed_held_out = !fitted;
      }
      const double guess = fitted                         ? p.value
                           : predicted_at.count(p.params) ? predicted_at[p.params]
                                                          : NAN;
      if (guess >= level_) predicted_cross = std::min(predicted_cross, p.params);
    }
    out.add("crossing_predicted_params", predicted_cross,
            fmt::format("smallest model at the largest budget whose {} is predicted to reach {} "
                        "(inf: none)",
                        metric_, level_));
    out.add(
        "crossing_observed_params", observed_cross,
        fmt::format("smallest model at the largest budget whose {} (mean over seeds) reached {}",
                    metric_, level_));
    // Only a crossing among the held-out runs tests the forecast: one among the fitted runs is
    // the observation compared with itself, and none at all leaves nothing to predict.
    out.add("crossing_held_out", observed_held_out ? 1 : 0,
            "1 when the observed crossing is a held-out run (at the largest budget)");
    out.add("crossing_match", observed_held_out ? (predicted_cross == observed_cross ? 1 : 0) : NAN,
            "1 when the predicted and observed crossing sizes agree (measured only when the "
            "observed crossing is held out)");
    out.add("ability_appeared", std::isfinite(observed_cross) ? 1 : 0,
            "1 when some model at the largest budget reached the level (else there was nothing "
            "to forecast)");
    return out;
  }

  std::optional<SimulatedEffects> simulated_effects() const override {
    const std::string beyond = split_ == Split::size ? "per doubling of N beyond the fitted sizes"
                                                     : "per doubling of training compute beyond "
                                                       "the fitted runs' (checkpoints too)";
    return SimulatedEffects{
        "every run's validation loss follows one law L = 0.2 + 30/N^0.3 + 40/D^0.35 (D its "
        "tokens so far; seed noise 0.02 nats a run), and the score is one sigmoid in loss "
        "(scale 0.08 nats) whose midpoint makes the ability appear only beyond what the "
        "forecast saw, and at the largest budget: uniform over the middle 80% of the losses "
        "between that budget's lowest and the lowest of any checkpoint the forecast may see; "
        "scores are proportions over the design's examples",
        fmt::format("beyond the fitted part the family departs from it, in one of two ways (half "
                    "the simulations each): the loss bends away (0.1 nats higher {}), or the score "
                    "needs 0.2 nats less loss. Simulations fit L(N, D) from 32 starts (not 4,500) "
                    "and the sigmoid from 8 (not 20), without bootstrap resamples",
                    beyond)};
  }

  void simulate(results::ResultSet& planned, Effect effect, Rng& rng) const override {
    const bool bend = effect == Effect::kAbsent && rng.uniform() < 0.5;
    const bool shift = effect == Effect::kAbsent && !bend;
    const FittedPart part = fitted_part(planned, split_);
    // The score's midpoint lies where the ability appears only beyond what the forecast saw, and
    // does at the largest budget: in the middle 80% of the losses between the largest budget's
    // lowest and the lowest of any checkpoint the forecast may see. On the five-size arithmetic
    // design split by size, U(0.99, 1.29) nats.
    const double largest = double(results::largest_budget(planned));
    double lowest = INFINITY, upper = INFINITY;
    for (const results::RunResults& run : planned.runs) {
      const double params = double(run.row.plan.parameters);
      for (const results::CheckpointResults& c : run.checkpoints) {
        const double tokens = std::max(1.0, double(c.row.tokens));
        const double loss = law_loss(params, tokens);
        if (&c == run.last() && double(run.row.plan.tokens) == largest)
          lowest = std::min(lowest, loss);
        if (part.checkpoint(params, compute_of(c.row.flops, params, tokens)))
          upper = std::min(upper, loss);
      }
    }
    const double midpoint = lowest + (upper - lowest) * (0.1 + 0.8 * rng.uniform());
    for (results::RunResults& run : planned.runs) {
      const double n_params = double(run.row.plan.parameters);
      const double seed_noise = 0.02 * rng.normal();
      const int64_t n = evaluated_examples(run);
      for (results::CheckpointResults& c : run.checkpoints) {
        const double tokens = std::max(1.0, double(c.row.tokens));
        const double beyond =
            part.doublings_beyond(n_params, compute_of(c.row.flops, n_params, tokens));
        double loss = law_loss(n_params, tokens) + seed_noise;
        if (bend) loss += 0.1 * beyond;
        c.row.validation_loss = loss;
        const double centre = midpoint + (shift && beyond > 0 ? -0.2 : 0.0);
        const double p = chance_ + (1 - chance_) / (1 + std::exp((loss - centre) / 0.08));
        c.metrics.push_back(proportion_row(task_, metric_, sample_proportion(p, n, rng), n));
      }
    }
  }

 private:
  std::string task_, metric_;
  double level_, chance_, ceiling_;  // ceiling NaN: fitted
  int resamples_;
  Split split_;
  bool full_fits_;  // false: the cheaper fits of the simulations (for_simulation)
};

}  // namespace

std::unique_ptr<StudyKind> make_forecast_kind(io::TomlSection& analysis) {
  std::string task, metric = "exact_match", split = "size";
  double level = 0.5, chance = 0, ceiling = NAN;
  int resamples = 200;
  analysis.read("task", task);
  analysis.read("metric", metric);
  analysis.read("level", level);
  analysis.read("chance", chance);
  analysis.read("bootstrap_resamples", resamples);
  analysis.read("split", split);
  analysis.read("ceiling", ceiling);
  if (task.empty()) analysis.invalid("task", "name the task, e.g. \"add(digits=3)\"");
  if (!(level > 0 && level <= 1)) analysis.invalid("level", "expected a level in (0, 1]");
  if (resamples < 10) analysis.invalid("bootstrap_resamples", "expected at least 10");
  if (split != "size" && split != "compute")
    analysis.invalid("split",
                     "expected \"size\" (the smaller half of the sizes) or \"compute\" "
                     "(runs and checkpoints of at most the median run's compute)");
  if (!std::isnan(ceiling) && !(ceiling > chance && ceiling <= 1))
    analysis.invalid("ceiling",
                     "expected a score above chance and at most 1 (leave it out to fit "
                     "the ceiling)");
  return std::make_unique<ForecastKind>(task, metric, level, chance, ceiling, resamples,
                                        split == "size" ? Split::size : Split::compute);
}

}  // namespace emlab::study
