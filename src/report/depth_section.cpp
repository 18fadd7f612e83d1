// Depth: hop(k) accuracy per number of layers × k at the final checkpoints, and the largest k each
// depth solves with at most 5% error (Sanford, Hsu & Telgarsky 2024). Null when no run was
// evaluated on hop tasks.
#include <fmt/format.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>

#include "report/sections.hpp"
#include "report/vega.hpp"

namespace emlab::report {

namespace {

constexpr double kMaxError = 0.05;

// k of a hop task spec ("hop(k=3)", "hop(length=24, k=3)"); -1 for other tasks.
int hops_of(const std::string& task) {
  static const std::regex pattern(R"(^hop\(.*\bk\s*=\s*(\d+).*\)$)");
  std::smatch m;
  return std::regex_match(task, m, pattern) ? std::stoi(m[1].str()) : -1;
}

}  // namespace

nlohmann::json depth_section(const Study& study) {
  // layers -> k -> accuracies of the completed runs' final checkpoints.
  std::map<int, std::map<int, std::vector<double>>> cells;
  for (const StudyRun& run : study.runs) {
    const StudyCheckpoint* last = run.last();
    if (!run.completed() || last == nullptr || run.row.imported) continue;
    int layers = 0;
    try {
      layers = nlohmann::json::parse(run.row.plan.config_json).at("model").at("layers").get<int>();
    } catch (const nlohmann::json::exception&) {
      continue;
    }
    for (const store::MetricRow& m : last->metrics)
      if (m.metric == "exact_match" && std::isfinite(m.value))
        if (const int k = hops_of(m.task); k >= 0) cells[layers][k].push_back(m.value);
  }
  if (cells.empty()) return nullptr;
  nlohmann::json grid = nlohmann::json::array(), rows = nlohmann::json::array();
  std::vector<std::string> staircase;
  for (const auto& [layers, by_k] : cells) {
    int largest = 0;
    bool solved = true;
    for (const auto& [k, values] : by_k) {
      double mean = 0;
      for (double v : values) mean += v / double(values.size());
      grid.push_back({{"layers", layers}, {"k", k}, {"accuracy", mean}});
      solved = solved && 1.0 - mean <= kMaxError;
      if (solved && k > largest) largest = k;
    }
    rows.push_back({std::to_string(layers), std::to_string(largest), std::to_string(by_k.size())});
    staircase.push_back(fmt::format("{} for {} layer{}", largest, layers, layers == 1 ? "" : "s"));
  }
  nlohmann::json section = {
      {"id", "depth"},
      {"title", "Depth: hops solved per number of layers"},
      {"text",
       fmt::format("<p>hop(k) asks for the letter reached after k hops back through a string "
                   "(Sanford, Hsu &amp; Telgarsky 2024), who found the largest k solved grow like "
                   "2<sup>L</sup> with the number of layers L (2, 4, 9, 16 for 2–5 layers at "
                   "width 256). Exact match at the final checkpoints, runs of one depth averaged. "
                   "Largest k solved with at most 5% error on every smaller k too: {}.</p>",
                   fmt::join(staircase, ", "))},
      {"charts", nlohmann::json::array()},
      {"tables", nlohmann::json::array()},
      {"missing", nullptr}};
  section["tables"].push_back({{"title", "Largest k solved (error ≤ 5%)"},
                               {"columns", {"layers", "largest k", "k evaluated"}},
                               {"rows", rows}});
  section["charts"].push_back(
      chart_entry("hop-accuracy", "Exact match per number of layers and hops",
                  chart({{"data", {{"values", grid}}},
                         {"mark", {{"type", "rect"}}},
                         {"encoding",
                          {{"x", {{"field", "k"}, {"type", "ordinal"}, {"title", "hops k"}}},
                           {"y", {{"field", "layers"}, {"type", "ordinal"}, {"title", "layers"}}},
                           {"color",
                            {{"field", "accuracy"},
                             {"type", "quantitative"},
                             {"scale", {{"domain", {0, 1}}, {"scheme", "viridis"}}}}},
                           {"tooltip",
                            {{{"field", "layers"}},
                             {{"field", "k"}},
                             {{"field", "accuracy"}, {"format", ".3f"}}}}}}},
                        {})));
  return section;
}

}  // namespace emlab::report
