#include "sweep/schedule.hpp"

#include <fmt/ranges.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "train/throughput.hpp"

namespace emlab::sweep {

namespace {

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs `parallel` measurement processes at once, each on its own block of cores.
double measure_split(const std::string& emlab, const std::filesystem::path& config_file,
                     const std::vector<int>& all_cpus, int parallel, int threads, double seconds) {
  std::vector<FILE*> pipes;
  for (int p = 0; p < parallel; ++p) {
    const std::string cpus = fmt::format("{}", fmt::join(slot_cpus(all_cpus, p, threads), ","));
    const std::string command =
        fmt::format("{} sweep-worker --measure {} --seconds {} --threads {} --cpus {} 2>/dev/null",
                    shell_quote(emlab), shell_quote(config_file.string()), seconds, threads, cpus);
    pipes.push_back(popen(command.c_str(), "r"));
  }
  double total = 0;
  bool ok = true;
  for (FILE* pipe : pipes) {
    double tps = 0;
    if (pipe == nullptr) {
      ok = false;
      continue;
    }
    ok = std::fscanf(pipe, "%lf", &tps) == 1 && ok;
    ok = pclose(pipe) == 0 && ok;
    total += tps;
  }
  return ok ? total : 0;
}

}  // namespace

double longest_first_makespan(std::vector<double> costs, int slots) {
  std::sort(costs.begin(), costs.end(), std::greater<>());
  std::vector<double> load(static_cast<size_t>(std::max(slots, 1)), 0.0);
  for (double c : costs) *std::min_element(load.begin(), load.end()) += c;
  return *std::max_element(load.begin(), load.end());
}

double measure_run_throughput(const train::TrainConfig& config, double seconds) {
  train::BenchShape shape{"run", config.model, config.batch_size};
  return train::measure_training_throughput(shape, seconds).tokens_per_second;
}

std::vector<int> slot_cpus(const std::vector<int>& cpus, int slot, int threads) {
  std::vector<int> out;
  for (int i = slot * threads; i < (slot + 1) * threads; ++i)
    if (i < static_cast<int>(cpus.size())) out.push_back(cpus[static_cast<size_t>(i)]);
  return out;
}

Schedule choose_schedule(const SweepConfig& config, const std::vector<RunSpec>& runs,
                         const std::vector<int>& cpus, const std::string& emlab,
                         double seconds_each) {
  Schedule s;
  const int cores = std::max(static_cast<int>(cpus.size()), 1);
  if (config.parallel_runs > 0 || config.threads_per_run > 0) {
    s.parallel_runs = config.parallel_runs > 0
                          ? config.parallel_runs
                          : std::max(1, cores / std::max(config.threads_per_run, 1));
    s.threads_per_run =
        config.threads_per_run > 0 ? config.threads_per_run : std::max(1, cores / s.parallel_runs);
    s.how = "from the config";
    return s;
  }
  s.parallel_runs = 1;
  s.threads_per_run = cores;
  if (cores == 1 || runs.size() <= 1) {
    s.how = runs.size() <= 1 ? "one run: all cores" : "one core";
    return s;
  }
  // The most expensive run dominates the sweep's wall time.
  const RunSpec& largest = *std::max_element(runs.begin(), runs.end(), [](auto& a, auto& b) {
    return a.config.model.training_flops_per_token(a.config.sequence_length()) <
           b.config.model.training_flops_per_token(b.config.sequence_length());
  });
  const auto config_file = std::filesystem::temp_directory_path() /
                           fmt::format("emlab-measure-{}.json", static_cast<long>(getpid()));
  std::ofstream(config_file) << train::to_json(largest.config).dump();
  const double largest_flops_per_token =
      largest.config.model.training_flops_per_token(largest.config.sequence_length());
  std::vector<double> run_flops;
  for (const RunSpec& r : runs)
    run_flops.push_back(double(r.config.steps) * r.config.batch_size * r.config.sequence_length() *
                        r.config.model.training_flops_per_token(r.config.sequence_length()));
  double best = std::numeric_limits<double>::infinity();
  for (int threads = 1; threads <= cores; threads *= 2) {
    const int parallel = std::min<int>(cores / threads, static_cast<int>(runs.size()));
    const double tps = measure_split(emlab, config_file, cpus, parallel, threads, seconds_each);
    // Each process's FLOP/s on the largest run stands for all runs; the sweep's wall time is then
    // the makespan of the runs dealt longest first to `parallel` slots.
    const double per_slot = tps / parallel * largest_flops_per_token;
    const double wall = per_slot > 0 ? longest_first_makespan(run_flops, parallel) / per_slot
                                     : std::numeric_limits<double>::infinity();
    s.measured.push_back({parallel, threads, tps, wall});
    if (wall < best) {
      best = wall;
      s.parallel_runs = parallel;
      s.threads_per_run = threads;
    }
  }
  std::filesystem::remove(config_file);
  s.how = fmt::format("measured on {}", largest.name);
  return s;
}

}  // namespace emlab::sweep
