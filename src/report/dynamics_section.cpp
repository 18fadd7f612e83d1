#include <fmt/format.h>

#include <cmath>

#include "report/sections.hpp"
#include "report/vega.hpp"

namespace emlab::report {

namespace {
constexpr size_t kMaxPointsPerRun = 400;  // a loss curve thinned to this many steps
}  // namespace

nlohmann::json dynamics_section(const results::ResultSet& results) {
  nlohmann::json losses = nlohmann::json::array(), scores = nlohmann::json::array();
  for (const results::RunResults& run : results.runs) {
    const auto& steps = run.step_losses;
    // Every k-th step, averaging the k losses it stands for (a running view, not a sample).
    const size_t k = std::max<size_t>(1, (steps.size() + kMaxPointsPerRun - 1) / kMaxPointsPerRun);
    for (size_t i = 0; i < steps.size(); i += k) {
      double sum = 0;
      size_t n = 0;
      for (size_t j = i; j < std::min(steps.size(), i + k); ++j, ++n) sum += steps[j].second;
      losses.push_back({{"run", run.row.plan.name},
                        {"params", run.row.plan.parameters},
                        {"step", steps[std::min(steps.size(), i + k) - 1].first + 1},
                        {"loss", sum / double(n)}});
    }
    for (const results::CheckpointResults& c : run.checkpoints)
      for (const store::MetricRow& m : c.metrics)
        if (m.metric == "exact_match" && std::isfinite(m.value))
          scores.push_back({{"run", run.row.plan.name},
                            {"params", run.row.plan.parameters},
                            {"step", c.row.step},
                            {"task", m.task},
                            {"value", m.value}});
  }
  if (losses.empty())
    return missing_section("dynamics", "Training dynamics",
                           why_no_losses(results, "No training step has been stored yet."));
  const nlohmann::json color = {
      {"field", "run"}, {"type", "nominal"}, {"sort", {{"field", "params"}}}};
  nlohmann::json section = {
      {"id", "dynamics"},
      {"title", "Training dynamics"},
      {"text",
       "<p>Training loss over steps (each point the mean of the steps it stands for), and exact "
       "match on each task at every evaluated checkpoint. Hover to follow a run.</p>"},
      {"charts", nlohmann::json::array()},
      {"tables", nlohmann::json::array()},
      {"missing", nullptr}};
  section["charts"].push_back(chart_entry(
      "loss", "Training loss",
      chart(
          {{"data", {{"values", losses}}},
           {"params", {hover_param()}},
           {"mark", {{"type", "line"}}},
           {"encoding",
            {{"x", count_axis("step", "step")},
             {"y", axis_field("loss", "quantitative", "training loss (nats/token)", true)},
             {"color", color},
             {"opacity", hover_opacity()},
             {"tooltip",
              {{{"field", "run"}}, {{"field", "step"}}, {{"field", "loss"}, {"format", ".4f"}}}}}}},
          {"x", "y"})));
  if (!scores.empty())
    section["charts"].push_back(
        chart_entry("exact-match", "Exact match over training",
                    chart({{"data", {{"values", scores}}},
                           {"facet", {{"field", "task"}, {"type", "nominal"}, {"title", nullptr}}},
                           {"columns", 3},
                           {"spec",
                            {{"width", 300},
                             {"height", 200},
                             {"params", {hover_param()}},
                             {"mark", {{"type", "line"}, {"point", true}}},
                             {"encoding",
                              {{"x", count_axis("step", "step")},
                               {"y", axis_field("value", "quantitative", "exact match")},
                               {"color", color},
                               {"opacity", hover_opacity()},
                               {"tooltip",
                                {{{"field", "run"}},
                                 {{"field", "step"}},
                                 {{"field", "value"}, {"format", ".3f"}}}}}}}}},
                          {"x"})));
  return section;
}

}  // namespace emlab::report
