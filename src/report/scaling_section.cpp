#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "analysis/power_law_fit.hpp"
#include "core/error.hpp"
#include "report/fitted_curves.hpp"
#include "report/sections.hpp"
#include "report/vega.hpp"
#include "results/fit_settings.hpp"
#include "results/missing_facts.hpp"

namespace emlab::report {

namespace {

constexpr int kMinFitRuns = 4;  // a 3-parameter law needs more points than parameters

double loss_of(const store::CheckpointRow& c) {
  return std::isfinite(c.validation_loss) ? c.validation_loss : c.train_loss;
}

// Every stored checkpoint as a point of the loss-against-compute curves.
nlohmann::json checkpoint_points(const results::ResultSet& results) {
  nlohmann::json points = nlohmann::json::array();
  for (const results::RunResults& run : results.runs)
    for (const results::CheckpointResults& c : run.checkpoints)
      if (c.row.tokens_known && c.row.flops_known && c.row.tokens > 0 &&
          std::isfinite(loss_of(c.row)))
        points.push_back({{"run", run.row.plan.name},
                          {"params", run.row.plan.parameters},
                          {"budget", run.row.plan.tokens},
                          {"step", c.row.step},
                          {"tokens", c.row.tokens},
                          {"flops", c.row.flops},
                          {"loss", loss_of(c.row)},
                          {"final", &c == run.last() && run.completed()}});
  return points;
}

// The lowest loss reached by any checkpoint at or below each compute: the empirical
// compute-optimal frontier.
nlohmann::json frontier(const nlohmann::json& points) {
  std::vector<std::pair<double, double>> by_compute;
  for (const auto& p : points) by_compute.emplace_back(p["flops"], p["loss"]);
  std::sort(by_compute.begin(), by_compute.end());
  nlohmann::json out = nlohmann::json::array();
  double best = INFINITY;
  for (const auto& [flops, loss] : by_compute)
    if (loss < best) {
      best = loss;
      out.push_back({{"flops", flops}, {"loss", loss}});
    }
  return out;
}

nlohmann::json loss_against_compute(const results::ResultSet& results) {
  const nlohmann::json points = checkpoint_points(results);
  if (points.empty())
    return missing_section(
        "scaling", "Loss against compute",
        why_no_losses(results, "No checkpoint has been stored yet, so there is no loss to plot."));
  nlohmann::json section = {{"id", "scaling"},
                            {"title", "Loss against compute"},
                            {"charts", nlohmann::json::array()},
                            {"tables", nlohmann::json::array()},
                            {"missing", nullptr}};
  std::string text =
      "<p>Validation loss (training loss where none was measured) of every stored checkpoint "
      "against training compute C ≈ 6ND (plus attention), one line per run. Hover a line to "
      "follow one model. The grey line is the empirical compute-optimal frontier: the lowest loss "
      "any checkpoint reached at or below each compute. A checkpoint in the middle of a cosine "
      "schedule sits above where a run ending there would (the fits use final checkpoints "
      "only).</p>";

  // The fitted law over the final checkpoints of completed runs.
  std::vector<double> fit_x, fit_loss;
  for (const auto& p : points)
    if (p["final"].get<bool>()) {
      fit_x.push_back(p["flops"]);
      fit_loss.push_back(p["loss"]);
    }
  nlohmann::json fit_layer = nullptr;
  const size_t computes = std::set<double>(fit_x.begin(), fit_x.end()).size();
  if (fit_x.size() >= kMinFitRuns && computes >= kMinFitRuns) {
    const analysis::PowerLawFit fit =
        analysis::fit_power_law(fit_x, fit_loss, results::report_power_law());
    const auto [lo, hi] = std::minmax_element(fit_x.begin(), fit_x.end());
    fit_layer = power_law_curve(fit, "flops", *lo, *hi * 4.0);  // on to 4x the largest
    section["tables"].push_back(
        power_law_table(fit, "Power law L(C) = E + A·C^(−α) over final checkpoints"));
    text += fmt::format(
        "<p>Dashed: the power law fitted to the {} final checkpoints, with its 95% bootstrap band "
        "({} resamples), extended to 4× the largest compute.</p>",
        fit_x.size(), results::kReportBootstrapResamples);
  } else if (fit_x.size() >= kMinFitRuns) {
    text += fmt::format(
        "<p><b>No fit</b>: a power law in compute needs at least {} distinct training computes; "
        "the {} completed runs here have {}.</p>",
        kMinFitRuns, fit_x.size(), computes);
  } else {
    text += fmt::format(
        "<p><b>No fit yet</b>: a power law has 3 parameters, so it needs at least {} completed "
        "runs; this study has {}.</p>",
        kMinFitRuns, fit_x.size());
  }
  section["text"] = text;

  nlohmann::json layers = nlohmann::json::array();
  layers.push_back(
      {{"data", {{"values", frontier(points)}}},
       {"mark", {{"type", "line"}, {"color", "#999"}, {"strokeWidth", 4}, {"opacity", 0.5}}},
       {"encoding",
        {{"x", count_axis("flops", "training compute (FLOPs)")},
         {"y", axis_field("loss", "quantitative", "loss (nats/token)", true)}}}});
  if (!fit_layer.is_null()) {
    layers.push_back({{"data", {{"values", fit_layer}}},
                      {"mark", {{"type", "area"}, {"opacity", 0.15}, {"color", "black"}}},
                      {"encoding",
                       {{"x", {{"field", "flops"}, {"type", "quantitative"}}},
                        {"y", {{"field", "lower"}, {"type", "quantitative"}}},
                        {"y2", {{"field", "upper"}}}}}});
    layers.push_back({{"data", {{"values", fit_layer}}},
                      {"mark", {{"type", "line"}, {"strokeDash", {6, 4}}, {"color", "black"}}},
                      {"encoding",
                       {{"x", {{"field", "flops"}, {"type", "quantitative"}}},
                        {"y", {{"field", "fit"}, {"type", "quantitative"}}},
                        {"tooltip",
                         {{{"field", "flops"}, {"format", ".3g"}},
                          {{"field", "fit"}, {"format", ".4f"}},
                          {{"field", "lower"}, {"format", ".4f"}},
                          {{"field", "upper"}, {"format", ".4f"}}}}}}});
  }
  const nlohmann::json tooltip = {{{"field", "run"}},
                                  {{"field", "params"}, {"format", ",d"}},
                                  {{"field", "step"}},
                                  {{"field", "tokens"}, {"format", ".3s"}},
                                  {{"field", "flops"}, {"format", ".3g"}},
                                  {{"field", "loss"}, {"format", ".4f"}}};
  layers.push_back({{"data", {{"values", points}}},
                    {"params", {hover_param()}},
                    {"mark", {{"type", "line"}, {"point", true}}},
                    {"encoding",
                     {{"x", {{"field", "flops"}, {"type", "quantitative"}}},
                      {"y", {{"field", "loss"}, {"type", "quantitative"}}},
                      {"color",
                       {{"field", "run"},
                        {"type", "nominal"},
                        {"sort", {{"field", "params"}}},
                        {"title", "run"}}},
                      {"detail", {{"field", "run"}}},
                      {"order", {{"field", "step"}}},
                      {"opacity", hover_opacity()},
                      {"tooltip", tooltip}}}});
  section["charts"].push_back(chart_entry("loss-compute", "Loss against training compute",
                                          chart({{"layer", layers}}, {"x", "y"})));

  return section;
}

}  // namespace

nlohmann::json scaling_section(const results::ResultSet& results) {
  nlohmann::json section = loss_against_compute(results);
  add_left_out(section, results::loss_left_out_note(results, "The loss against compute"));
  return section;
}

}  // namespace emlab::report
