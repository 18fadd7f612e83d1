#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "analysis/forecast.hpp"
#include "report/fitted_curves.hpp"
#include "report/sections.hpp"
#include "report/vega.hpp"
#include "results/fit_settings.hpp"
#include "results/loss_points.hpp"
#include "results/missing_facts.hpp"

namespace emlab::report {

namespace {
constexpr size_t kMinTrainRuns = 4;  // the power law's 3 parameters, and one point to spare

nlohmann::json loss_or_score_forecast(const results::ResultSet& results) {
  std::vector<analysis::LossPoint> points = results::final_loss_points(results);
  const std::string title = "Forecast: the largest model from the smaller ones";
  if (points.size() < kMinTrainRuns + 1) {
    if (points.empty())  // no losses at all: forecast the scores of real model families instead
      if (nlohmann::json scores = ability_backtest_section(results, title); !scores.is_null())
        return scores;
    return missing_section(
        "forecast", title,
        fmt::format("A backtest fits a power law in compute to the smaller models and predicts "
                    "the largest; that needs at least {} completed runs ({} train, 1 held out). "
                    "This study has {}.",
                    kMinTrainRuns + 1, kMinTrainRuns, points.size()));
  }
  std::sort(points.begin(), points.end(),
            [](const auto& a, const auto& b) { return a.flops < b.flops; });
  // Hold out the largest quarter (at least one run), keeping enough to fit.
  const size_t held =
      std::max<size_t>(1, std::min(points.size() / 4, points.size() - kMinTrainRuns));
  const double cutoff = points[points.size() - held - 1].flops;
  if (points.back().flops <= cutoff)  // ties at the top: e.g. arms of one model and budget
    return missing_section(
        "forecast", title,
        fmt::format("A backtest predicts the runs of largest training compute from the others; "
                    "here the largest runs all have the same compute ({:.3g} FLOPs) as the runs "
                    "below them, so there is nothing larger to predict.",
                    cutoff));
  // Chinchilla's L(N, D) where the runs it is fitted to vary both scales enough to separate its
  // terms (as in the N and D section); else a power law in compute, which cannot tell a larger
  // model from a longer run.
  std::set<double> sizes, budgets;
  size_t train = 0;
  for (const auto& p : points)
    if (p.flops <= cutoff) {
      sizes.insert(p.params);
      budgets.insert(p.tokens);
      ++train;
    }
  bool chinchilla = train >= 6 && sizes.size() >= 3 && budgets.size() >= 3;
  std::string why_not;
  if (chinchilla) {  // a degenerate fit (see size_section.cpp) forecasts nothing
    std::vector<double> n, d, l;
    for (const auto& p : points)
      if (p.flops <= cutoff) {
        n.push_back(p.params);
        d.push_back(p.tokens);
        l.push_back(p.loss);
      }
    if (chinchilla_degenerate(
            analysis::fit_chinchilla(n, d, l, results::degeneracy_check_chinchilla()).params)) {
      chinchilla = false;
      why_not = " (Chinchilla's L(N, D) is degenerate on these runs)";
    }
  }
  const analysis::LossForecast f = analysis::forecast_loss(
      points, analysis::ScaleAxis::flops, cutoff,
      results::report_loss_forecast(chinchilla ? "chinchilla" : "power_law"));

  nlohmann::json rows = nlohmann::json::array(), table = nlohmann::json::array();
  for (const auto& p : points)
    if (p.flops <= cutoff)
      rows.push_back(
          {{"run", p.model}, {"flops", p.flops}, {"loss", p.loss}, {"kind", "fitted on"}});
  for (const auto& r : f.rows) {
    rows.push_back({{"run", r.model},
                    {"flops", r.scale},
                    {"loss", r.observed},
                    {"kind", "observed (held out)"}});
    rows.push_back({{"run", r.model},
                    {"flops", r.scale},
                    {"loss", r.predicted},
                    {"lower", number(r.interval.lower)},
                    {"upper", number(r.interval.upper)},
                    {"kind", "predicted"}});
    table.push_back({r.model, fmt::format("{:.3g}", r.scale), number(r.observed),
                     number(r.predicted),
                     fmt::format("[{:.4f}, {:.4f}]", r.interval.lower, r.interval.upper),
                     fmt::format("{:+.2f}%", 100 * r.relative_error)});
  }
  const nlohmann::json x = count_axis("flops", "training compute (FLOPs)");
  nlohmann::json spec = {
      {"data", {{"values", rows}}},
      {"layer",
       {{{"mark", {{"type", "rule"}}},
         {"transform", {{{"filter", "datum.kind == 'predicted'"}}}},
         {"encoding",
          {{"x", x},
           {"y", {{"field", "lower"}, {"type", "quantitative"}}},
           {"y2", {{"field", "upper"}}}}}},
        {{"mark", {{"type", "point"}, {"filled", true}, {"size", 90}}},
         {"encoding",
          {{"x", x},
           {"y", axis_field("loss", "quantitative", "final validation loss", true)},
           {"color", {{"field", "kind"}, {"type", "nominal"}, {"title", nullptr}}},
           {"shape", {{"field", "kind"}, {"type", "nominal"}}},
           {"tooltip",
            {{{"field", "run"}},
             {{"field", "kind"}},
             {{"field", "flops"}, {"format", ".3g"}},
             {{"field", "loss"}, {"format", ".4f"}}}}}}}}}};
  return {
      {"id", "forecast"},
      {"title", title},
      {"text",
       fmt::format("<p>{}{} fitted to the {} runs up to {:.3g} FLOPs predicts the final loss of "
                   "the {} larger ones (95% bootstrap interval, {} resamples). Mean absolute "
                   "error {:.2f}%; {:.0f}% of the observations inside their interval.</p>",
                   chinchilla ? "Chinchilla's L(N, D)" : "A power law in compute", why_not,
                   f.train_points, cutoff, f.rows.size(), results::kReportBootstrapResamples,
                   100 * f.mean_abs_rel_error, 100 * f.interval_coverage)},
      {"charts", {chart_entry("loss", "Predicted against observed", chart(spec, {"x", "y"}))}},
      {"tables",
       {{{"title", "Held-out runs"},
         {"columns", {"run", "FLOPs", "observed", "predicted", "95% interval", "error"}},
         {"rows", table}}}},
      {"missing", nullptr}};
}

}  // namespace

nlohmann::json forecast_section(const results::ResultSet& results) {
  nlohmann::json section = loss_or_score_forecast(results);
  add_left_out(section,
               results::final_loss_points(results).empty()
                   ? results::left_out_note(results, analysis::ScaleAxis::tokens,
                                            "The forecast of each family's largest model (curves "
                                            "over size at one token budget)")
                   : results::loss_left_out_note(results, "The loss forecast"));
  return section;
}

}  // namespace emlab::report
