#pragma once
// `emlab forecast --method ladder`: two-step ladders (Bhagia et al. 2024, arXiv:2412.04403) on a
// results database (the lab's own sweeps or imported evaluations) or a long CSV whose task rows
// carry a task loss (a perplexity, a log-probability...) beside an accuracy; printed and
// optionally as JSON.
#include <cstdint>
#include <string>
#include <vector>

#include "cli/measurement_input.hpp"

namespace emlab::cli {

struct LadderForecastOptions {
  MeasurementInput input;
  std::vector<std::string> tasks;        // every task with a task loss and an accuracy if empty
  std::string loss_metric = "auto";      // a task-loss metric, "pretraining", or auto
  std::string accuracy_metric = "auto";  // an accuracy metric, or auto
  std::string form = "auto";             // chinchilla, power_law, or auto
  std::string power_axis = "params";
  std::string cutoff_axis = "params";
  double cutoff = 0;
  double chance = -1;  // fixes the sigmoid's floor when >= 0
  int bootstrap = 200;
  uint64_t seed = 0;
  double level = 0.95;
  std::string json_path;
};

void run_ladder_forecast(const LadderForecastOptions& options);

}  // namespace emlab::cli
