// Circuits: what the probes stored at each checkpoint show. Head scores of every model's final
// checkpoint as layer × head heatmaps; the best induction score of each layer over training with
// the phase change marked; the in-context-learning score and the repeated-block losses over
// training. Null when no run has probe scores.
#include <fmt/format.h>

#include <cmath>
#include <map>
#include <set>

#include "core/format.hpp"
#include "probe/probe_registry.hpp"
#include "report/sections.hpp"
#include "report/vega.hpp"
#include "results/circuit_summary.hpp"

namespace emlab::report {

namespace {

// The head probes' own scores (induction_mul, a variant of induction's, is not drawn).
const std::set<std::string> kHeadProbes = [] {
  std::set<std::string> names;
  for (const probe::ProbeKind& kind : probe::probe_kinds())
    if (kind.scope == probe::ProbeScope::kHead) names.insert(kind.name);
  return names;
}();
const std::set<std::string> kModelProbes = {"icl_score", "repeat_loss_first",
                                            "repeat_loss_repeated"};

std::string cell(double v, const char* format = "{:.3f}") {
  return format_number(v, format);
}

}  // namespace

nlohmann::json circuits_section(const results::ResultSet& results) {
  nlohmann::json heads = nlohmann::json::array(), layers = nlohmann::json::array(),
                 models = nlohmann::json::array(), phases = nlohmann::json::array();
  nlohmann::json table = nlohmann::json::array();
  for (const results::RunResults& run : results.runs) {
    const results::CheckpointResults* last = run.last();
    if (last == nullptr || last->probes.empty()) continue;
    const std::string& name = run.row.plan.name;
    for (const store::ProbeScoreRow& p : last->probes)
      if (kHeadProbes.count(p.probe) > 0)
        heads.push_back({{"run", name},
                         {"probe", p.probe},
                         {"layer", fmt::format("L{}", p.layer)},
                         {"head", fmt::format("H{}", p.head)},
                         {"value", number(p.value)}});
    for (const auto& [layer, series] : results::best_induction_per_layer(run))
      for (const auto& point : series)
        layers.push_back({{"run", name},
                          {"params", run.row.plan.parameters},
                          {"layer", fmt::format("layer {}", layer)},
                          {"step", point.step},
                          {"value", number(point.value)}});
    for (const results::CheckpointResults& c : run.checkpoints)
      for (const store::ProbeScoreRow& p : c.probes)
        if (kModelProbes.count(p.probe) > 0 && c.row.step > 0)
          models.push_back({{"run", name},
                            {"params", run.row.plan.parameters},
                            {"measure", p.probe},
                            {"step", c.row.step},
                            {"value", number(p.value)}});
    const results::RunCircuit r = results::describe_circuit(run);
    if (std::isfinite(r.phase_step))
      phases.push_back(
          {{"run", name}, {"params", run.row.plan.parameters}, {"step", r.phase_step}});
    table.push_back({name, r.best_head, cell(r.final_induction),
                     std::isfinite(r.phase_step) ? fmt::format("{:.0f}", r.phase_step)
                                                 : fmt::format("— ({})", r.phase_note),
                     cell(r.width, "{:.2f}"), cell(r.repeat_before), cell(r.repeat_after),
                     std::isnan(r.together) ? std::string(kNoValue)
                                            : std::string(r.together > 0 ? "yes" : "no"),
                     cell(r.repeat_first), cell(r.repeat_repeated), cell(r.icl)});
  }
  if (table.empty()) return nullptr;
  nlohmann::json section = {
      {"id", "circuits"},
      {"title", "Circuits: induction heads and in-context learning"},
      {"text",
       "<p>What the probes (<code>docs/probes.md</code>) measured inside each model. An induction "
       "head attends to the token that followed an earlier occurrence of the current one (score "
       "1 for a perfect one); Olsson et al. (2022) saw such heads form in an abrupt phase change, "
       "at the same time as the loss on repeated tokens fell and the in-context-learning score "
       "(late-context loss minus early-context loss) turned negative. The table gives, per model, "
       "the best induction head at the end, the step of the steepest rise of its layer's best "
       "score (on log steps) and its width (steps from 10% to 90% of the rise, as a fraction of "
       "that step), the loss on repeated copies at the last probe before and the first after "
       "that rise and whether it fell steepest within a factor 2 of the same step, and the final "
       "losses on the first and the repeated copies of random blocks.</p>"},
      {"charts", nlohmann::json::array()},
      {"tables", nlohmann::json::array()},
      {"missing", nullptr}};
  section["tables"].push_back(
      {{"title", "Induction per model"},
       {"columns",
        {"run", "best head", "induction at the end", "phase change at step", "width",
         "repeated-copy loss before", "after", "loss fell at the same step", "loss, first copy",
         "loss, repeated copies", "ICL score"}},
       {"rows", table}});
  section["charts"].push_back(chart_entry(
      "head-scores", "Head scores at the final checkpoint",
      chart({{"data", {{"values", heads}}},
             {"facet",
              {{"row", {{"field", "run"}, {"type", "nominal"}, {"title", nullptr}}},
               {"column", {{"field", "probe"}, {"type", "nominal"}, {"title", nullptr}}}}},
             {"spec",
              {{"width", 140},
               {"height", {{"step", 22}}},
               {"mark", {{"type", "rect"}}},
               {"encoding",
                {{"x", {{"field", "head"}, {"type", "ordinal"}, {"title", "head"}}},
                 {"y", {{"field", "layer"}, {"type", "ordinal"}, {"title", "layer"}}},
                 {"color",
                  {{"field", "value"},
                   {"type", "quantitative"},
                   {"scale", {{"domain", {-1, 1}}, {"scheme", "redblue"}, {"reverse", true}}}}},
                 {"tooltip",
                  {{{"field", "run"}},
                   {{"field", "probe"}},
                   {{"field", "layer"}},
                   {{"field", "head"}},
                   {{"field", "value"}, {"format", ".3f"}}}}}}}}},
            {}),
      "Copying scores run from −1 to 1, the others from 0 to 1."));
  if (!layers.empty()) {
    nlohmann::json lines = {
        {"mark", {{"type", "line"}, {"point", true}}},
        {"encoding",
         {{"x", count_axis("step", "step")},
          {"y", axis_field("value", "quantitative", "best induction score in the layer")},
          {"color", {{"field", "run"}, {"type", "nominal"}, {"sort", {{"field", "params"}}}}},
          {"strokeDash", {{"field", "layer"}, {"type", "nominal"}}},
          {"tooltip",
           {{{"field", "run"}},
            {{"field", "layer"}},
            {{"field", "step"}},
            {{"field", "value"}, {"format", ".3f"}}}}}}};
    nlohmann::json layered = {{"layer", {lines}}, {"data", {{"values", layers}}}};
    if (!phases.empty())
      layered["layer"].push_back(
          {{"data", {{"values", phases}}},
           {"mark", {{"type", "rule"}, {"strokeDash", {4, 3}}}},
           {"encoding",
            {{"x", {{"field", "step"}, {"type", "quantitative"}}},
             {"color", {{"field", "run"}, {"type", "nominal"}, {"sort", {{"field", "params"}}}}},
             {"tooltip", {{{"field", "run"}}, {{"field", "step"}, {"format", ".0f"}}}}}}});
    section["charts"].push_back(chart_entry(
        "induction-over-steps", "Best induction score per layer over training",
        chart(layered, {"x"}),
        "Dashed vertical rules: the steepest rise of the best layer (the phase change)."));
  }
  if (!models.empty())
    section["charts"].push_back(chart_entry(
        "icl-over-steps", "In-context learning and repeated-block losses over training",
        chart({{"data", {{"values", models}}},
               {"facet", {{"field", "measure"}, {"type", "nominal"}, {"title", nullptr}}},
               {"columns", 3},
               {"resolve", {{"scale", {{"y", "independent"}}}}},
               {"spec",
                {{"width", 260},
                 {"height", 180},
                 {"mark", {{"type", "line"}, {"point", true}}},
                 {"encoding",
                  {{"x", count_axis("step", "step")},
                   {"y", axis_field("value", "quantitative", "nats")},
                   {"color",
                    {{"field", "run"}, {"type", "nominal"}, {"sort", {{"field", "params"}}}}},
                   {"tooltip",
                    {{{"field", "run"}},
                     {{"field", "step"}},
                     {{"field", "value"}, {"format", ".3f"}}}}}}}}},
              {"x"})));
  return section;
}

}  // namespace emlab::report
