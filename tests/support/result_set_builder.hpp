#pragma once
// Synthetic result sets for the report and study tests: completed runs whose final validation loss
// follows a known Chinchilla law, with an earlier checkpoint each (which the fits must ignore) and
// optional task metrics, built in memory without training anything.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "analysis/chinchilla_fit.hpp"
#include "results/result_set.hpp"

namespace emlab::results::testing {

// A tiny deterministic wobble (±0.2%) so the fits see noisy data, not an exact curve.
inline double wobble(int i) {
  return 1.0 + 0.002 * std::sin(1.7 * i + 0.3);
}

inline results::RunResults completed_run(const std::string& name, double params, double tokens,
                                         double loss) {
  results::RunResults run;
  run.row.plan.name = name;
  run.row.plan.parameters = int64_t(params);
  run.row.plan.tokens = int64_t(tokens);
  run.row.plan.flops = 6 * params * tokens;
  run.row.status = "completed";
  results::CheckpointResults early;  // a quarter of the way, well above the final loss
  early.row = {10, int64_t(tokens / 4), 1.5 * params * tokens, loss + 0.5, loss + 0.5};
  results::CheckpointResults last;
  last.row = {40, int64_t(tokens), 6 * params * tokens, loss, loss};
  run.checkpoints = {early, last};
  return run;
}

// One completed run per (size, budget), with loss = truth.loss(N, D) · wobble.
inline results::ResultSet chinchilla_study(const analysis::ChinchillaParams& truth,
                                           const std::vector<double>& sizes,
                                           const std::vector<double>& budgets) {
  results::ResultSet study;
  study.database = "synthetic.sqlite";
  study.name = "synthetic";
  int i = 0;
  for (double n : sizes)
    for (double d : budgets) {
      const std::string name = fmt::format("N{}-D{}", int64_t(n), int64_t(d));
      study.runs.push_back(completed_run(name, n, d, truth.loss(n, d) * wobble(i++)));
    }
  return study;
}

// Losses whose data term is a step over the budgets 1M, 3M and 10M: the smallest 0.5 worse, the
// other two equal. Chinchilla's B/D^β can follow it only with β and B running off (β near 20).
inline results::ResultSet step_data_term_study(const std::vector<double>& sizes) {
  results::ResultSet study;
  for (double n : sizes)
    for (double d : {1e6, 3e6, 1e7})
      study.runs.push_back(completed_run(fmt::format("N{}-D{}", int64_t(n), int64_t(d)), n, d,
                                         1.5 + 80.0 / std::pow(n, 0.35) + (d == 1e6 ? 0.5 : 0.0)));
  return study;
}

// A metric row at a run's final checkpoint: a proportion over n examples with its binomial
// standard error, or a continuous score (chance NaN where there is none).
inline void add_final_metric(results::RunResults& run, const std::string& task,
                             const std::string& metric, double value, bool continuous,
                             double chance = NAN, int64_t n = 100) {
  store::MetricRow m;
  m.task = task;
  m.metric = metric;
  m.value = value;
  m.standard_error = std::sqrt(std::max(value * (1 - value), 1e-12) / double(n));
  m.lower = value - 2 * m.standard_error;
  m.upper = value + 2 * m.standard_error;
  m.n = n;
  m.chance = chance;
  m.continuous = continuous;
  run.checkpoints.back().metrics.push_back(m);
}

// An imported model of a leaderboard: one final evaluation (step 0, as `emlab import` stores a
// model without checkpoints), its family and source file; tokens NaN for unknown, FLOPs NaN for
// 6·N·D (unknown too when the tokens are).
inline results::RunResults imported_model(const std::string& name, const std::string& family,
                                          double params, double tokens, double flops = NAN) {
  results::RunResults run;
  run.row.plan.name = name;
  run.row.family = family;
  run.row.imported = true;
  run.row.status = "completed";
  run.row.plan.parameters = int64_t(params);
  run.row.tokens_known = std::isfinite(tokens);
  run.row.plan.tokens = run.row.tokens_known ? int64_t(tokens) : 0;
  if (std::isnan(flops)) flops = 6 * params * tokens;
  run.row.flops_known = std::isfinite(flops);
  run.row.plan.flops = run.row.flops_known ? flops : 0;
  results::CheckpointResults last;
  last.row = {0,   run.row.plan.tokens,  run.row.plan.flops, NAN,
              NAN, run.row.tokens_known, run.row.flops_known};
  run.checkpoints = {last};
  run.sources = {"/data/board.csv"};
  return run;
}

// A leaderboard of 55 models from 25 families f00..f24: f00-f04 with 4 sizes, f05-f09 with 3,
// f10-f14 with 2, f15-f24 with one. Scores on "arc" and "gsm8k" (metric "score") climb with
// log compute, each family offset by its own efficiency; f15-f24 also have "lambada" (acc). f02
// gives no tokens nor FLOPs.
inline results::ResultSet leaderboard_study() {
  results::ResultSet board;
  board.database = "board.sqlite";
  board.name = "board";
  for (int f = 0; f < 25; ++f) {
    const int sizes = f < 5 ? 4 : f < 10 ? 3 : f < 15 ? 2 : 1;
    for (int i = 0; i < sizes; ++i) {
      const double params = 1e9 * std::pow(3.0, i) * (1 + 0.1 * f);
      const double tokens = f == 2 ? NAN : 1e12 * (1 + 0.2 * (f % 5));
      results::RunResults run = imported_model(fmt::format("f{:02d}-{}", f, i),
                                               fmt::format("f{:02d}", f), params, tokens);
      const double capability = std::log10(6 * params * 1e12) - 21 + 0.05 * (f % 7);
      add_final_metric(run, "arc", "score", 0.25 + 0.7 / (1 + std::exp(-2 * capability)), true);
      add_final_metric(run, "gsm8k", "score", 0.9 / (1 + std::exp(-3 * (capability - 1))), true);
      // A task only the small families were evaluated on: its charts have no named family.
      if (f >= 15) add_final_metric(run, "lambada", "acc", 0.3 + 0.02 * f, false, NAN, 5000);
      board.runs.push_back(std::move(run));
    }
  }
  return board;
}

}  // namespace emlab::results::testing
