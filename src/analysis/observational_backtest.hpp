#pragma once
// The backtest of observational scaling laws as Ruan et al. 2024 (arXiv:2405.10938) run it: fit
// on the models below a cutoff (in training FLOPs, or in capability), predict each target task of
// the models above it, and report the absolute error. The capability space is the principal
// components of the training models' benchmark scores (principal_components.hpp); each target is a
// sigmoid of the first K of them (multi_sigmoid_fit.hpp). Beside it, on the same split, the
// compute-only forecast of today: a sigmoid in log10 FLOPs (sigmoid_fit.hpp). Intervals come from
// a bootstrap over models (resample every model, split again at the same cutoff, refit both).
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/bootstrap.hpp"
#include "analysis/capability_table.hpp"
#include "analysis/multi_sigmoid_fit.hpp"
#include "analysis/principal_components.hpp"
#include "analysis/sigmoid_fit.hpp"

namespace emlab::analysis {

struct ObservationalOptions {
  // Components in the capability measure: Ruan et al. keep 3 (with 5 benchmarks they hold ~99%
  // of the variance); fewer when there are fewer capability tasks.
  size_t components = 3;
  double cutoff_flops = 0;  // > 0: fit on the models with training FLOPs <= it
  // Else: fit on the models whose first component is at or below this quantile of theirs.
  double capability_quantile = std::numeric_limits<double>::quiet_NaN();
  int bootstrap_resamples = 200;
  uint64_t seed = 0;
  double level = 0.95;
};

struct HeldOutPrediction {
  std::string model, family;
  double flops = 0, capability = 0;  // capability: first component (of the training models' PCA)
  double observed = 0, observational = 0, compute = 0;
};

struct TaskBacktest {
  std::string task;
  double chance = 0;  // NaN: unknown, the floor was fitted
  size_t train = 0, test = 0;
  std::string skipped;  // why, when the task could not be fitted (then nothing below is set)
  MultiSigmoid observational_fit;
  SigmoidParams compute_fit;  // over log10 FLOPs
  std::vector<HeldOutPrediction> held_out;
  // Mean absolute error over the held-out models, and observational − compute.
  Estimate observational_error, compute_error, difference;
};

struct ObservationalBacktest {
  std::string split;  // "training FLOPs <= 8.4e+22", "first component <= 0.12 (its 0.5 quantile)"
  double cutoff_flops = 0, cutoff_capability = 0;  // whichever split was used
  size_t components = 0, train_models = 0, test_models = 0;
  PrincipalComponents pca;  // of the training models
  std::vector<TaskBacktest> tasks;
  size_t fitted_tasks = 0;
  Estimate observational_error, compute_error, difference;  // mean over the fitted tasks
  std::vector<std::string> left_out;                        // notes naming the models left out
  // Time spent fitting each forecast, the full fit and every refit, summed over threads.
  double observational_seconds = 0, compute_seconds = 0;
};

// Uses the models with every capability score and known FLOPs (the compute-only forecast needs
// them, and both run on the same models); the others are named in left_out.
ObservationalBacktest observational_backtest(const CapabilityTable& table,
                                             const ObservationalOptions& options);

}  // namespace emlab::analysis
