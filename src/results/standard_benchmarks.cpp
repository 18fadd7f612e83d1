#include "results/standard_benchmarks.hpp"

#include <algorithm>
#include <array>
#include <regex>
#include <string>
#include <tuple>

#include "results/scale_points.hpp"

namespace emlab::results {
namespace {

struct Benchmark {
  std::vector<std::string> names;  // task names, without a shots suffix
};

const std::array<Benchmark, 5>& benchmarks() {
  static const std::array<Benchmark, 5> list = {
      {{{"arc", "arc_challenge"}},
       {{"hellaswag"}},
       {{"mmlu"}},
       {{"truthfulqa", "truthfulqa_mc2", "truthfulqa_mc"}},
       {{"winogrande"}}}};
  return list;
}

size_t metric_rank(const std::string& metric) {
  static const std::array<const char*, 4> preferred = {"score", "acc_norm", "acc", "mc2"};
  for (size_t i = 0; i < preferred.size(); ++i)
    if (metric == preferred[i]) return i;
  return preferred.size();
}

}  // namespace

std::vector<TaskChoice> standard_capability_tasks(const ResultSet& results) {
  static const std::regex shots(R"(_\d+shot$)");
  const auto pairs = final_task_metrics(results);
  std::vector<std::string> chosen;
  for (const Benchmark& b : benchmarks()) {
    // (~models: the most models first), the metric's rank, "task:metric"
    std::tuple<size_t, size_t, std::string> best{0, 0, ""};
    bool found = false;
    for (const auto& [task, metric] : pairs) {
      const std::string stem = std::regex_replace(task, shots, "");
      if (std::find(b.names.begin(), b.names.end(), stem) == b.names.end()) continue;
      const size_t models = final_points(results, task, metric).size();
      const std::tuple<size_t, size_t, std::string> rank{~models, metric_rank(metric),
                                                         task + ":" + metric};
      if (!found || rank < best) best = rank;
      found = true;
    }
    if (found) chosen.push_back(std::get<2>(best));
  }
  return chosen.empty() ? std::vector<TaskChoice>{} : choose_tasks(results, chosen);
}

}  // namespace emlab::results
