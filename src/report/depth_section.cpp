// Depth: accuracy on k hops per number of layers × k at the final checkpoints, and the largest k
// each depth solves (Sanford, Hsu & Telgarsky 2024), counted by results/depth_summary.hpp as the
// depth study counts it: the hop_accuracy probe's per-position accuracy, or in older databases
// hop(k) tasks' exact match. Null when there is neither.
#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "report/sections.hpp"
#include "report/vega.hpp"
#include "results/depth_summary.hpp"

namespace emlab::report {

nlohmann::json depth_section(const results::ResultSet& results) {
  const results::DepthSetting setting = results::evaluated_depth_setting(results);
  if (setting.from_probes() && setting.max_hops < 0) return nullptr;
  const std::vector<int> ks = setting.ks();
  const std::vector<results::DepthRow> depths = results::depth_staircase(results, setting);
  if (depths.empty()) return nullptr;
  nlohmann::json grid = nlohmann::json::array(), rows = nlohmann::json::array();
  std::vector<std::string> staircase;
  for (const results::DepthRow& depth : depths) {
    size_t evaluated = 0;
    for (size_t i = 0; i < depth.accuracy.size(); ++i) {
      if (!std::isfinite(depth.accuracy[i])) continue;
      ++evaluated;
      grid.push_back({{"layers", depth.layers}, {"k", ks[i]}, {"accuracy", depth.accuracy[i]}});
    }
    rows.push_back(
        {std::to_string(depth.layers), std::to_string(depth.largest_k), std::to_string(evaluated)});
    staircase.push_back(fmt::format("{} for {} layer{}", depth.largest_k, depth.layers,
                                    depth.layers == 1 ? "" : "s"));
  }
  const std::string threshold = fmt::format("{:g}%", 100 * setting.max_error);
  nlohmann::json section = {
      {"id", "depth"},
      {"title", "Depth: hops solved per number of layers"},
      {"text",
       fmt::format("<p>hop(k) asks for the letter reached after k hops back through a string "
                   "(Sanford, Hsu &amp; Telgarsky 2024), who found the largest k solved grow like "
                   "2<sup>L</sup> with the number of layers L (2, 4, 9, 16 for 2–5 layers at "
                   "width 256). {} at the final checkpoints, runs of one depth averaged. "
                   "Largest k solved with at most {} error on every smaller k ≥ 1 too (counted "
                   "as the depth study counts it): {}.</p>",
                   setting.from_probes()
                       ? "Share of every labelled position of held-out strings right (k = 0, "
                         "the current letter, is a control)"
                       : "Exact match of one answer per string",
                   threshold, fmt::join(staircase, ", "))},
      {"charts", nlohmann::json::array()},
      {"tables", nlohmann::json::array()},
      {"missing", nullptr}};
  section["tables"].push_back({{"title", fmt::format("Largest k solved (error ≤ {})", threshold)},
                               {"columns", {"layers", "largest k", "k evaluated"}},
                               {"rows", rows}});
  section["charts"].push_back(
      chart_entry("hop-accuracy", "Accuracy per number of layers and hops",
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
