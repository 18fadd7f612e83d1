#include "analysis/observational_backtest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <optional>

#include "core/error.hpp"

namespace emlab::analysis {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Both forecasts of every target task fitted on one sample of training models (an index may
// repeat: a bootstrap resample) and scored on one sample of held-out models.
struct SampleFit {
  PrincipalComponents pca;
  std::vector<std::optional<MultiSigmoid>> observational;
  std::vector<std::optional<SigmoidParams>> compute;
  std::vector<double> observational_error, compute_error;  // NaN: not fitted
  std::vector<std::string> skipped;                        // why, per task ('' when fitted)
  double observational_seconds = 0, compute_seconds = 0;   // spent fitting each
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The compute-only forecast: today's sigmoid in log10 FLOPs (sigmoid_fit.hpp, its 20 starts).
SigmoidParams fit_compute(const std::vector<double>& log_flops, const std::vector<double>& y,
                          const MultiSigmoidOptions& floor) {
  SigmoidOptions so;
  so.fix_floor = floor.fix_floor;
  so.floor = floor.floor;
  return fit_sigmoid(log_flops, y, so).params;
}

// A bootstrap refit of it: the same sigmoid (slope w, midpoint −b/w) started from the full-data
// fit, as the observational refits are; 20 cold starts per task and resample would take most of
// the backtest's time.
SigmoidParams refit_compute(const std::vector<double>& log_flops, const std::vector<double>& y,
                            MultiSigmoidOptions options, const SigmoidParams& full) {
  options.warm_start =
      MultiSigmoid{{full.slope}, -full.slope * full.midpoint, full.floor, full.ceiling};
  std::vector<std::vector<double>> x;
  for (double v : log_flops) x.push_back({v});
  const MultiSigmoid m = fit_multi_sigmoid(x, y, options).params;
  const double slope = m.weights[0];
  return {m.floor, m.ceiling, slope == 0 ? 0 : -m.bias / slope, slope};
}

SampleFit fit_sample(const CapabilityTable& table,
                     const std::vector<const CapabilityModel*>& models,
                     const std::vector<size_t>& train, const std::vector<size_t>& test,
                     size_t components, const SampleFit* warm) {
  const size_t tasks = table.target_tasks.size();
  SampleFit out;
  out.observational.resize(tasks);
  out.compute.resize(tasks);
  out.observational_error.assign(tasks, kNaN);
  out.compute_error.assign(tasks, kNaN);
  out.skipped.assign(tasks, "");
  std::vector<std::vector<double>> rows;
  for (size_t i : train) rows.push_back(models[i]->capability);
  out.pca = principal_components(rows);
  const auto z_of = [&](size_t i) { return out.pca.project(models[i]->capability, components); };

  for (size_t t = 0; t < tasks; ++t) {
    const double chance = table.target_chance[t];
    const bool fix_floor = std::isfinite(chance);
    std::vector<std::vector<double>> z;
    std::vector<double> log_flops, y;
    for (size_t i : train) {
      const double v = models[i]->targets[t];
      if (!std::isfinite(v)) continue;
      z.push_back(z_of(i));
      log_flops.push_back(std::log10(models[i]->flops));
      y.push_back(v);
    }
    size_t held_out = 0;
    for (size_t i : test) held_out += std::isfinite(models[i]->targets[t]);
    // Enough for both fits: more points than the K + 3 (or 4) parameters of either.
    const size_t needed = std::max<size_t>(components + 3, 4) - (fix_floor ? 1 : 0) + 1;
    if (y.size() < needed || held_out == 0) {
      out.skipped[t] =
          fmt::format("{} training model(s) with a score (needs {}) and {} held out (needs 1)",
                      y.size(), needed, held_out);
      continue;
    }
    try {
      MultiSigmoidOptions mo;
      mo.fix_floor = fix_floor;
      mo.floor = fix_floor ? chance : 0;
      if (warm != nullptr && warm->observational[t]) mo.warm_start = warm->observational[t];
      auto start = std::chrono::steady_clock::now();
      const MultiSigmoid observational = fit_multi_sigmoid(z, y, mo).params;
      out.observational_seconds += seconds_since(start);
      start = std::chrono::steady_clock::now();
      const SigmoidParams compute = warm != nullptr && warm->compute[t]
                                        ? refit_compute(log_flops, y, mo, *warm->compute[t])
                                        : fit_compute(log_flops, y, mo);
      out.compute_seconds += seconds_since(start);
      double obs_sum = 0, comp_sum = 0;
      for (size_t i : test) {
        const double v = models[i]->targets[t];
        if (!std::isfinite(v)) continue;
        obs_sum += std::fabs(observational.at(z_of(i)) - v);
        comp_sum += std::fabs(compute.at(std::log10(models[i]->flops)) - v);
      }
      out.observational[t] = observational;
      out.compute[t] = compute;
      out.observational_error[t] = obs_sum / double(held_out);
      out.compute_error[t] = comp_sum / double(held_out);
    } catch (const Error& e) {
      out.skipped[t] = e.what();
    }
  }
  return out;
}

double mean_of(const std::vector<double>& v, const std::vector<size_t>& which) {
  double sum = 0;
  for (size_t t : which) sum += v[t];
  return which.empty() ? kNaN : sum / double(which.size());
}

}  // namespace

ObservationalBacktest observational_backtest(const CapabilityTable& table,
                                             const ObservationalOptions& options) {
  require(!table.capability_tasks.empty(), "observational backtest: no capability tasks");
  require(table.target_chance.size() == table.target_tasks.size(),
          "observational backtest: {} target tasks but {} chance levels", table.target_tasks.size(),
          table.target_chance.size());
  const bool by_flops = options.cutoff_flops > 0;
  require(by_flops != std::isfinite(options.capability_quantile),
          "observational backtest: give a FLOPs cutoff or a capability quantile (one of them)");
  require(by_flops || (options.capability_quantile > 0 && options.capability_quantile < 1),
          "observational backtest: the capability quantile {} is not in (0, 1)",
          options.capability_quantile);
  ObservationalBacktest out;
  out.left_out = capability_left_out_notes(table, "the observational backtest", true);
  const std::vector<const CapabilityModel*> models = complete_models(table, true);
  require(models.size() >= 2,
          "observational backtest: {} model(s) with every capability score "
          "and known FLOPs; need more",
          models.size());
  out.components = std::min(options.components, table.capability_tasks.size());
  require(out.components >= 1, "observational backtest: keep at least 1 component");

  // Which side of the cutoff each model is on.
  std::vector<bool> is_train(models.size());
  if (by_flops) {
    out.cutoff_flops = options.cutoff_flops;
    out.split = fmt::format("training FLOPs <= {:.3g}", options.cutoff_flops);
    for (size_t i = 0; i < models.size(); ++i)
      is_train[i] = models[i]->flops <= options.cutoff_flops;
  } else {
    const auto rows = capability_rows(models);
    const PrincipalComponents all = principal_components(rows);
    std::vector<double> first;
    for (const auto& row : rows) first.push_back(all.project(row, 1)[0]);
    out.cutoff_capability = percentile(first, options.capability_quantile);
    out.split = fmt::format("first component (over all {} models) <= {:.4g}, its {:g} quantile",
                            models.size(), out.cutoff_capability, options.capability_quantile);
    for (size_t i = 0; i < models.size(); ++i) is_train[i] = first[i] <= out.cutoff_capability;
  }
  std::vector<size_t> train, test;
  for (size_t i = 0; i < models.size(); ++i) (is_train[i] ? train : test).push_back(i);
  out.train_models = train.size();
  out.test_models = test.size();
  require(train.size() >= 2 && !test.empty(),
          "observational backtest: {} model(s) below the cutoff ({}) and {} above; need at least "
          "2 below and 1 above",
          train.size(), out.split, test.size());

  const SampleFit full = fit_sample(table, models, train, test, out.components, nullptr);
  out.pca = full.pca;
  std::vector<size_t> fitted;
  for (size_t t = 0; t < table.target_tasks.size(); ++t) {
    TaskBacktest task;
    task.task = table.target_tasks[t];
    task.chance = table.target_chance[t];
    for (size_t i : train) task.train += std::isfinite(models[i]->targets[t]);
    for (size_t i : test) task.test += std::isfinite(models[i]->targets[t]);
    task.skipped = full.skipped[t];
    if (full.observational[t]) {
      fitted.push_back(t);
      task.observational_fit = *full.observational[t];
      task.compute_fit = *full.compute[t];
      for (size_t i : test) {
        const CapabilityModel& m = *models[i];
        if (!std::isfinite(m.targets[t])) continue;
        const auto z = full.pca.project(m.capability, out.components);
        task.held_out.push_back({m.name, m.family, m.flops, z[0], m.targets[t],
                                 task.observational_fit.at(z),
                                 task.compute_fit.at(std::log10(m.flops))});
      }
    }
    out.tasks.push_back(std::move(task));
  }
  out.fitted_tasks = fitted.size();

  // Bootstrap over models: each resample draws the models with replacement, keeps each on its
  // side of the cutoff, and refits the components and both forecasts.
  const size_t tasks = table.target_tasks.size(),
               resamples = size_t(std::max(0, options.bootstrap_resamples));
  std::vector<std::vector<double>> obs(tasks, std::vector<double>(resamples, kNaN)), comp = obs,
                                                                                     diff = obs;
  std::vector<double> mean_obs(resamples, kNaN), mean_comp = mean_obs, mean_diff = mean_obs;
  std::vector<double> obs_seconds(resamples, 0.0), comp_seconds(resamples, 0.0);
#pragma omp parallel for schedule(dynamic, 2)
  for (int r = 0; r < int(resamples); ++r) {
    const auto counts = bootstrap_weights(models.size(), options.seed, uint64_t(r));
    std::vector<size_t> rtrain, rtest;
    for (size_t i = 0; i < models.size(); ++i)
      for (int c = 0; c < int(counts[i]); ++c) (is_train[i] ? rtrain : rtest).push_back(i);
    if (rtrain.size() < 2 || rtest.empty()) continue;
    SampleFit s;
    try {
      s = fit_sample(table, models, rtrain, rtest, out.components, &full);
    } catch (const Error&) {
      continue;  // a resample whose training models all score alike: no components
    }
    obs_seconds[size_t(r)] = s.observational_seconds;
    comp_seconds[size_t(r)] = s.compute_seconds;
    std::vector<double> d(tasks, kNaN);
    for (size_t t = 0; t < tasks; ++t) {
      obs[t][size_t(r)] = s.observational_error[t];
      comp[t][size_t(r)] = s.compute_error[t];
      d[t] = s.observational_error[t] - s.compute_error[t];
      diff[t][size_t(r)] = d[t];
    }
    mean_obs[size_t(r)] = mean_of(s.observational_error, fitted);
    mean_comp[size_t(r)] = mean_of(s.compute_error, fitted);
    mean_diff[size_t(r)] = mean_of(d, fitted);
  }
  for (size_t t : fitted) {
    TaskBacktest& task = out.tasks[t];
    const double o = full.observational_error[t], c = full.compute_error[t];
    task.observational_error = make_estimate(o, obs[t], options.level);
    task.compute_error = make_estimate(c, comp[t], options.level);
    task.difference = make_estimate(o - c, diff[t], options.level);
  }
  out.observational_seconds =
      full.observational_seconds + std::accumulate(obs_seconds.begin(), obs_seconds.end(), 0.0);
  out.compute_seconds =
      full.compute_seconds + std::accumulate(comp_seconds.begin(), comp_seconds.end(), 0.0);
  std::vector<double> full_diff(tasks, kNaN);
  for (size_t t : fitted) full_diff[t] = full.observational_error[t] - full.compute_error[t];
  out.observational_error =
      make_estimate(mean_of(full.observational_error, fitted), mean_obs, options.level);
  out.compute_error = make_estimate(mean_of(full.compute_error, fitted), mean_comp, options.level);
  out.difference = make_estimate(mean_of(full_diff, fitted), mean_diff, options.level);
  return out;
}

}  // namespace emlab::analysis
