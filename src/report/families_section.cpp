// Imported models of many families (a leaderboard, a paper's table): every task's final scores
// against training FLOPs, where known, and against parameters, one small chart per task ×
// metric, coloured by family with lines only within a family (family_colours.hpp), and a table of
// the families. Our own sweeps (runs of one recipe) have no such section.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <tuple>

#include "core/format.hpp"
#include "report/family_colours.hpp"
#include "report/sections.hpp"
#include "report/vega.hpp"
#include "results/missing_facts.hpp"
#include "results/scale_points.hpp"

namespace emlab::report {

namespace {

std::string panel_name(const std::string& task, const std::string& metric) {
  return metric == "score" ? task : task + " · " + metric;
}

// One small chart per task × metric: score against `x`, grey families under the named ones, a
// line through the models of each family (in order of x).
nlohmann::json family_chart(const nlohmann::json& rows, const std::vector<std::string>& panels,
                            const FamilyColours& colours, const std::string& x_field,
                            const std::string& x_title) {
  nlohmann::json x = count_axis(x_field, x_title);
  // FLOPs span 1e20 to 1e25: exponents read better than SI prefixes (Z, Y), and fewer labels fit.
  if (x_field == "flops") x["axis"] = {{"format", ".0e"}, {"labelOverlap", "greedy"}};
  const nlohmann::json y = {{"field", "value"},
                            {"type", "quantitative"},
                            {"title", nullptr},
                            {"scale", {{"zero", false}}}};
  const nlohmann::json tooltip = {{{"field", "run"}, {"title", "model"}},
                                  {{"field", "family"}},
                                  {{"field", "params"}, {"format", ".3s"}, {"title", "parameters"}},
                                  {{"field", "tokens"}, {"format", ".3s"}},
                                  {{"field", "flops"}, {"format", ".3s"}, {"title", "FLOPs"}},
                                  {{"field", "value"}, {"format", ".4f"}, {"title", "score"}}};
  // One mark for all (a layer filtered to no rows in some panel makes Vega warn of an infinite
  // extent): grey families drawn thin and first, the named ones over them.
  const std::string grey = "datum.shown === '" + colours.other_label() + "'";
  const auto by_kind = [&](double grey_value, double named_value) {
    return nlohmann::json{{"condition", {{"test", grey}, {"value", grey_value}}},
                          {"value", named_value}};
  };
  nlohmann::json sorted = rows;
  std::stable_sort(sorted.begin(), sorted.end(), [&](const auto& a, const auto& b) {
    return (a["shown"] == colours.other_label()) > (b["shown"] == colours.other_label());
  });
  const nlohmann::json spec = {
      {"width", 230},
      {"height", 160},
      {"params",
       {{{"name", "family_hover"},
         {"select",
          {{"type", "point"},
           {"fields", {"family"}},
           {"on", "mouseover"},
           {"clear", "mouseout"}}}}}},
      {"mark", {{"type", "line"}, {"point", {{"filled", true}}}}},
      {"encoding",
       {{"x", x},
        {"y", y},
        {"color", colours.encoding()},
        {"detail", {{"field", "family"}}},  // a line per family, grey ones too
        {"order", {{"field", x_field}}},
        {"strokeWidth", by_kind(1, 2)},  // (a line's "size" would be its width too)
        {"opacity",
         {{"condition", {{"param", "family_hover"}, {"empty", true}, {"value", 1.0}}},
          {"value", 0.25}}},
        {"tooltip", tooltip}}}};
  return chart(
      {{"data", {{"values", sorted}}},
       {"facet", {{"field", "panel"}, {"type", "nominal"}, {"sort", panels}, {"title", nullptr}}},
       {"columns", 3},
       {"spec", spec},
       {"resolve", {{"scale", {{"y", "independent"}}}}}},
      {"x"});
}

// One row per family: its models, and the range of their sizes, tokens and FLOPs.
nlohmann::json family_table(const results::ResultSet& results, const FamilyColours& colours) {
  struct Range {
    size_t models = 0, tokens_known = 0, flops_known = 0;
    double params_lo = INFINITY, params_hi = 0, tokens_lo = INFINITY, tokens_hi = 0,
           flops_lo = INFINITY, flops_hi = 0;
  };
  std::map<std::string, Range> families;
  for (const results::RunResults& run : results.runs) {
    if (!run.completed() || run.last() == nullptr) continue;
    Range& r = families[family_name(run.row.family)];
    ++r.models;
    r.params_lo = std::min(r.params_lo, double(run.row.plan.parameters));
    r.params_hi = std::max(r.params_hi, double(run.row.plan.parameters));
    if (run.row.tokens_known) {
      ++r.tokens_known;
      r.tokens_lo = std::min(r.tokens_lo, double(run.row.plan.tokens));
      r.tokens_hi = std::max(r.tokens_hi, double(run.row.plan.tokens));
    }
    if (run.row.flops_known) {
      ++r.flops_known;
      r.flops_lo = std::min(r.flops_lo, run.row.plan.flops);
      r.flops_hi = std::max(r.flops_hi, run.row.plan.flops);
    }
  }
  const auto range = [](double lo, double hi, size_t known, size_t models, auto show) {
    if (known == 0) return std::string(kNoValue);
    std::string text = lo == hi ? show(lo) : show(lo) + " – " + show(hi);
    if (known < models) text += fmt::format(" ({} of {} known)", known, models);
    return text;
  };
  const auto flops = [](double v) { return fmt::format("{:.3g}", v); };
  nlohmann::json rows = nlohmann::json::array();
  // Named families first, in legend order, then the grey ones by name.
  std::vector<std::string> order = colours.named;
  for (const auto& [name, r] : families)
    if (std::find(order.begin(), order.end(), name) == order.end()) order.push_back(name);
  for (const std::string& name : order) {
    const Range& r = families.at(name);
    rows.push_back({name, colours.shown(name) == name ? "named" : "grey", r.models,
                    range(r.params_lo, r.params_hi, r.models, r.models, human_count),
                    range(r.tokens_lo, r.tokens_hi, r.tokens_known, r.models, human_count),
                    range(r.flops_lo, r.flops_hi, r.flops_known, r.models, flops)});
  }
  return {{"title", "Families"},
          {"columns", {"family", "in the charts", "models", "parameters", "tokens", "FLOPs"}},
          {"rows", rows}};
}

// Every model with what such models have: family, size, tokens, FLOPs and the files its scores
// came from; by family, then size.
nlohmann::json model_table(const results::ResultSet& results) {
  std::vector<const results::RunResults*> runs;
  for (const results::RunResults& run : results.runs) runs.push_back(&run);
  std::sort(runs.begin(), runs.end(), [](const auto* a, const auto* b) {
    return std::tie(a->row.family, a->row.plan.parameters, a->row.plan.name) <
           std::tie(b->row.family, b->row.plan.parameters, b->row.plan.name);
  });
  nlohmann::json rows = nlohmann::json::array();
  for (const results::RunResults* run : runs) {
    const store::RunRow& r = run->row;
    std::vector<std::string> files;
    for (const std::string& path : run->sources)
      files.push_back(std::filesystem::path(path).filename().string());
    rows.push_back({r.plan.name, family_name(r.family), human_count(double(r.plan.parameters)),
                    r.tokens_known ? human_count(double(r.plan.tokens)) : kNoValue,
                    r.flops_known ? fmt::format("{:.3g}", r.plan.flops) : kNoValue,
                    files.empty() ? kNoValue : fmt::format("{}", fmt::join(files, ", "))});
  }
  return {{"title", "Models"},
          {"columns", {"model", "family", "parameters", "tokens", "FLOPs", "source"}},
          {"rows", rows}};
}

}  // namespace

nlohmann::json families_section(const results::ResultSet& results) {
  if (!results::every_run_imported(results)) return nullptr;
  const std::string title = "Model families: scores against compute and size";
  const FamilyColours colours = family_colours(results);
  nlohmann::json rows = nlohmann::json::array(), with_flops = nlohmann::json::array();
  std::vector<std::string> panels;
  for (const auto& [task, metric] : results::final_task_metrics(results)) {
    const std::string panel = panel_name(task, metric);
    panels.push_back(panel);
    for (const results::ScalePoint& p : results::final_points(results, task, metric)) {
      const nlohmann::json row = {{"run", p.run},
                                  {"family", family_name(p.family)},
                                  {"shown", colours.shown(p.family)},
                                  {"params", p.params},
                                  {"tokens", number(p.tokens)},
                                  {"flops", number(p.flops)},
                                  {"panel", panel},
                                  {"value", p.value}};
      rows.push_back(row);
      if (std::isfinite(p.flops)) with_flops.push_back(row);
    }
  }
  if (rows.empty())
    return missing_section("families", title,
                           "No imported model has a score at its final evaluation yet.");
  const size_t families = colours.named.size() + colours.others;
  const size_t models = size_t(std::count_if(
      results.runs.begin(), results.runs.end(),
      [](const results::RunResults& r) { return r.completed() && r.last() != nullptr; }));
  std::string text = fmt::format(
      "<p>{} imported models of {} families at their final evaluation, against training compute "
      "and against size. Each small chart is one task (and metric, where the source names one); "
      "each point is a model; a line joins the models of one family in order of compute or size, "
      "and never models of different families. ",
      models, families);
  text += colours.others == 0
              ? "Each family has its own colour. "
              : fmt::format(
                    "The {} families with the most models are named in colour, the other "
                    "{} are grey (hover a point for its model and family; the table "
                    "below lists them all). ",
                    colours.named.size(), colours.others);
  text +=
      "FLOPs are the source's where it gives them, else 6·N·D from its parameters and tokens. "
      "Scores are drawn as the source gives them: without intervals where it gives none.</p>";
  nlohmann::json section = {{"id", "families"},
                            {"title", title},
                            {"text", text},
                            {"charts", nlohmann::json::array()},
                            {"tables", nlohmann::json::array()},
                            {"missing", nullptr}};
  if (!with_flops.empty())
    section["charts"].push_back(
        chart_entry("flops", "Scores against training FLOPs",
                    family_chart(with_flops, panels, colours, "flops", "training FLOPs"),
                    "Hover a named family to pick it out across the charts."));
  else
    section["text"] = section["text"].get<std::string>() +
                      "<p><b>No model's training FLOPs are known</b>: only the charts against "
                      "parameters are drawn.</p>";
  section["charts"].push_back(chart_entry(
      "params", "Scores against parameters",
      family_chart(rows, panels, colours, "params", "parameters N (embeddings included)")));
  section["tables"].push_back(family_table(results, colours));
  section["tables"].push_back(model_table(results));
  add_left_out(section, results::left_out_note(results, analysis::ScaleAxis::flops,
                                               "The scores against training FLOPs"));
  return section;
}

}  // namespace emlab::report
