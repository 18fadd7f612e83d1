#pragma once
// `emlab forecast DB --method observational`: observational scaling laws (Ruan et al. 2024,
// arXiv:2405.10938) on a database of imported models; the capability space, each family's compute
// efficiency and the backtest beside the compute-only sigmoid, printed and optionally as JSON.
#include <cstdint>
#include <string>
#include <vector>

namespace emlab::cli {

struct ObservationalForecastOptions {
  std::string database;
  std::vector<std::string> capability_tasks, target_tasks;  // targets: every other task if empty
  size_t components = 3;
  double cutoff_flops = 0;
  double capability_quantile = -1;  // in (0, 1) when given
  int bootstrap = 200;
  uint64_t seed = 0;
  double level = 0.95;
  std::string json_path;
};

void run_observational_forecast(const ObservationalForecastOptions& options);

}  // namespace emlab::cli
