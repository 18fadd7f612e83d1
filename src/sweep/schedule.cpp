#include "sweep/schedule.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <fmt/ranges.h>

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
                     int parallel, int threads, double seconds) {
  std::vector<FILE*> pipes;
  for (int p = 0; p < parallel; ++p) {
    std::vector<int> cpu_ids;
    for (int c = p * threads; c < (p + 1) * threads; ++c) cpu_ids.push_back(c);
    const std::string cpus = fmt::format("{}", fmt::join(cpu_ids, ","));
    const std::string command = fmt::format(
        "{} sweep-worker --measure {} --seconds {} --threads {} --cpus {} 2>/dev/null",
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

double measure_run_throughput(const train::TrainConfig& config, double seconds) {
  train::BenchShape shape{"run", config.model, config.batch_size};
  return train::measure_training_throughput(shape, seconds).tokens_per_second;
}

Schedule choose_schedule(const SweepConfig& config, const std::vector<RunSpec>& runs, int cores,
                         const std::string& emlab, double seconds_each) {
  Schedule s;
  cores = std::max(cores, 1);
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
  double best = -1;
  for (int threads = 1; threads <= cores; threads *= 2) {
    const int parallel = std::min<int>(cores / threads, static_cast<int>(runs.size()));
    const double tps = measure_split(emlab, config_file, parallel, threads, seconds_each);
    s.measured.push_back({parallel, threads, tps});
    if (tps > best) {
      best = tps;
      s.parallel_runs = parallel;
      s.threads_per_run = threads;
    }
  }
  std::filesystem::remove(config_file);
  s.how = fmt::format("measured on {}", largest.name);
  return s;
}

}  // namespace emlab::sweep
