// Observational scaling laws (Ruan et al. 2024, arXiv:2405.10938) on a database of imported models
// whose table has the standard benchmarks (results/standard_benchmarks.hpp): the capability space
// (first two principal components, coloured by family), each family's compute efficiency, and the
// backtest of every other task, fitted on the models at or below the median training FLOPs and
// predicting those above, beside the compute-only sigmoid on the same split.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>

#include "analysis/family_efficiency.hpp"
#include "analysis/observational_backtest.hpp"
#include "core/error.hpp"
#include "core/format.hpp"
#include "report/family_colours.hpp"
#include "report/sections.hpp"
#include "report/vega.hpp"
#include "results/capability_scores.hpp"
#include "results/fit_settings.hpp"
#include "results/standard_benchmarks.hpp"

namespace emlab::report {

namespace {

constexpr size_t kMinBenchmarks = 3;  // fewer span no space worth the name

std::string estimate_text(const analysis::Estimate& e, const char* spec = "{:.3f}") {
  return format_with_interval(e.value, e.interval.lower, e.interval.upper, spec);
}

nlohmann::json space_chart(const std::vector<const analysis::CapabilityModel*>& models,
                           const analysis::PrincipalComponents& pc, const FamilyColours& colours) {
  nlohmann::json rows = nlohmann::json::array();
  for (const analysis::CapabilityModel* m : models) {
    const auto z = pc.project(m->capability, 2);
    rows.push_back({{"run", m->name},
                    {"family", family_name(m->family)},
                    {"shown", colours.shown(m->family)},
                    {"pc1", z[0]},
                    {"pc2", z.size() > 1 ? number(z[1]) : nlohmann::json(0.0)},
                    {"flops", number(m->flops)}});
  }
  const auto axis = [&](const char* field, size_t c) {
    return nlohmann::json{
        {"field", field},
        {"type", "quantitative"},
        {"title", fmt::format("PC{} ({:.1f}% of the variance)", c + 1,
                              100 * (c < pc.variance_share.size() ? pc.variance_share[c] : 0))}};
  };
  return chart({{"data", {{"values", rows}}},
                {"mark", {{"type", "point"}, {"filled", true}, {"size", 50}}},
                {"encoding",
                 {{"x", axis("pc1", 0)},
                  {"y", axis("pc2", 1)},
                  {"color", colours.encoding()},
                  {"tooltip",
                   {{{"field", "run"}, {"title", "model"}},
                    {{"field", "family"}},
                    {{"field", "pc1"}, {"format", ".3f"}, {"title", "PC1"}},
                    {{"field", "pc2"}, {"format", ".3f"}, {"title", "PC2"}},
                    {{"field", "flops"}, {"format", ".3s"}, {"title", "FLOPs"}}}}}}});
}

nlohmann::json backtest_chart(const analysis::ObservationalBacktest& b) {
  nlohmann::json rows = nlohmann::json::array();
  std::vector<std::string> panels;
  for (const analysis::TaskBacktest& t : b.tasks) {
    if (!t.skipped.empty()) continue;
    panels.push_back(t.task);
    for (const analysis::HeldOutPrediction& p : t.held_out)
      for (const auto& [method, predicted] :
           {std::pair<const char*, double>{"observational", p.observational},
            {"compute-only", p.compute}})
        rows.push_back({{"task", t.task},
                        {"run", p.model},
                        {"family", family_name(p.family)},
                        {"method", method},
                        {"observed", p.observed},
                        {"predicted", predicted}});
  }
  const nlohmann::json x = score_axis("observed", "observed"),
                       y = score_axis("predicted", "predicted");
  const nlohmann::json diagonal = {
      {"mark", {{"type", "rule"}, {"strokeDash", {4, 4}}, {"color", "#999"}}},
      {"encoding",
       {{"x", {{"datum", 0}, {"type", "quantitative"}}},
        {"y", {{"datum", 0}, {"type", "quantitative"}}},
        {"x2", {{"datum", 1}}},
        {"y2", {{"datum", 1}}}}}};
  const nlohmann::json points = {
      {"mark", {{"type", "point"}, {"filled", true}, {"opacity", 0.7}}},
      {"encoding",
       {{"x", x},
        {"y", y},
        {"color",
         {{"field", "method"},
          {"type", "nominal"},
          {"title", "forecast"},
          {"scale",
           {{"domain", {"observational", "compute-only"}}, {"range", {"#4c78a8", "#f58518"}}}}}},
        {"tooltip",
         {{{"field", "run"}, {"title", "model"}},
          {{"field", "family"}},
          {{"field", "method"}, {"title", "forecast"}},
          {{"field", "observed"}, {"format", ".3f"}},
          {{"field", "predicted"}, {"format", ".3f"}}}}}}};
  return chart(
      {{"data", {{"values", rows}}},
       {"facet", {{"field", "task"}, {"type", "nominal"}, {"sort", panels}, {"title", nullptr}}},
       {"columns", 4},
       {"spec", {{"width", 170}, {"height", 170}, {"layer", {diagonal, points}}}}});
}

}  // namespace

nlohmann::json observational_section(const results::ResultSet& results) {
  if (!results::every_run_imported(results)) return nullptr;
  const auto capability = results::standard_capability_tasks(results);
  if (capability.size() < kMinBenchmarks) return nullptr;
  const auto targets = results::other_tasks(results, capability);
  if (targets.empty()) return nullptr;
  const std::string title = "Observational scaling: capability space and backtest";
  const analysis::CapabilityTable table = results::capability_table(results, capability, targets);
  const auto complete = analysis::complete_models(table, false);
  const auto with_flops = analysis::complete_models(table, true);
  std::vector<double> flops;
  for (const auto* m : with_flops) flops.push_back(m->flops);
  if (complete.size() < 3 || flops.empty())
    return missing_section(
        "observational", title,
        fmt::format("Observational scaling needs models with every one of {} scored (and their "
                    "training FLOPs, for the backtest); this database has {} ({} with FLOPs).",
                    fmt::join(table.capability_tasks, ", "), complete.size(), with_flops.size()));

  const analysis::PrincipalComponents space =
      analysis::principal_components(analysis::capability_rows(complete));
  const FamilyColours colours = family_colours(results);
  nlohmann::json section = {{"id", "observational"},
                            {"title", title},
                            {"text", ""},
                            {"charts", nlohmann::json::array()},
                            {"tables", nlohmann::json::array()},
                            {"missing", nullptr}};
  std::string text = fmt::format(
      "<p>Ruan, Maddison and Hashimoto (2024) place models of many families in one low-dimensional "
      "capability space, the principal components of their standard benchmark scores, and "
      "forecast other tasks as a sigmoid of it. Here the space is spanned by {} over {} models "
      "(scores centred, not standardised: every benchmark is an accuracy on one scale). PC1 "
      "holds {:.1f}% of the variance, PC2 {:.1f}%.</p>",
      fmt::join(table.capability_tasks, ", "), complete.size(), 100 * space.variance_share[0],
      space.variance_share.size() > 1 ? 100 * space.variance_share[1] : 0.0);
  section["charts"].push_back(
      chart_entry("space", "Capability space: the first two principal components",
                  space_chart(complete, space, colours),
                  "Each point is a model, coloured by family (the largest named, the rest grey)."));
  nlohmann::json loadings = nlohmann::json::array();
  for (size_t c = 0; c < space.loadings.size(); ++c) {
    nlohmann::json row = {fmt::format("PC{}", c + 1),
                          fmt::format("{:.1f}%", 100 * space.variance_share[c])};
    for (double w : space.loadings[c]) row.push_back(fmt::format("{:+.3f}", w));
    loadings.push_back(row);
  }
  nlohmann::json loading_columns = {"component", "variance"};
  for (const std::string& t : table.capability_tasks) loading_columns.push_back(t);
  section["tables"].push_back(
      {{"title", "Principal components"}, {"columns", loading_columns}, {"rows", loadings}});
  // Added after the text is complete (each adds a paragraph to it).
  std::vector<std::string> left_out =
      analysis::capability_left_out_notes(table, "the capability space", false);

  // Each family's compute efficiency, where the slope is told by some family of several sizes.
  try {
    const auto e = analysis::family_efficiency(table);
    const std::string reference = e.largest_family().family;
    nlohmann::json offsets = nlohmann::json::array();
    for (const auto& f : e.offsets)
      offsets.push_back({f.family, f.models, fmt::format("{:+.3f}", f.offset),
                         fmt::format("{:.3g}", e.compute_ratio(f.family, reference))});
    text += fmt::format(
        "<p>Capability against compute: PC1 = {:.3f}·log10(FLOPs) + an offset per family, one "
        "slope shared by all, over {} models; the residual standard deviation is {:.3f}. A "
        "higher offset reaches the same capability with less compute; the table gives how many "
        "times the compute of {} (the family with the most models) each needs for the same "
        "capability (a family of one model is placed by that model alone).</p>",
        e.slope, e.models, e.residual_sd, reference);
    section["tables"].push_back(
        {{"title", "Family compute efficiency"},
         {"columns", {"family", "models", "offset", fmt::format("compute vs {}", reference)}},
         {"rows", offsets}});
  } catch (const Error& error) {
    text += fmt::format("<p>No family compute efficiency: {}</p>", error.what());
  }

  // The backtest at the median compute.
  const double cutoff = analysis::percentile(flops, 0.5);
  try {
    const auto b = analysis::observational_backtest(table, results::report_observational(cutoff));
    text += fmt::format(
        "<p><b>Backtest</b>, Ruan et al.'s way: fitted on the {} models at or below the median "
        "training compute ({}), predicting the {} above. Observational: a sigmoid of the first {} "
        "components of the training models' scores; compute-only: a sigmoid in log10 FLOPs; the "
        "floor at chance where it is known. Over the {} task(s) the mean absolute error is {} "
        "observational and {} compute-only (95% intervals from a bootstrap over models).</p>",
        b.train_models, b.split, b.test_models, b.components, b.fitted_tasks,
        estimate_text(b.observational_error), estimate_text(b.compute_error));
    nlohmann::json per_task = nlohmann::json::array();
    for (const auto& t : b.tasks)
      per_task.push_back({t.task, t.train, t.test,
                          std::isfinite(t.chance) ? fmt::format("{:.3g}", t.chance) : kNoValue,
                          t.skipped.empty() ? estimate_text(t.observational_error) : t.skipped,
                          t.skipped.empty() ? estimate_text(t.compute_error) : kNoValue,
                          t.skipped.empty() ? estimate_text(t.difference, "{:+.3f}") : kNoValue});
    section["tables"].push_back(
        {{"title", "Backtest: mean absolute error on the held-out models"},
         {"columns",
          {"task", "train", "held out", "chance", "observational", "compute-only", "difference"}},
         {"rows", per_task}});
    if (b.fitted_tasks > 0)
      section["charts"].push_back(chart_entry(
          "backtest", "Backtest: predicted against observed, held-out models", backtest_chart(b),
          "On the dashed diagonal a forecast is exact. Hover a point for its model."));
    left_out.insert(left_out.end(), b.left_out.begin(), b.left_out.end());
  } catch (const Error& error) {
    text += fmt::format("<p>No backtest: {}</p>", error.what());
  }
  section["text"] = text;
  for (const std::string& note : left_out) add_left_out(section, note);
  return section;
}

}  // namespace emlab::report
