// Final loss against parameters N and training tokens D, with the laws fitted to them: Chinchilla's
// L(N, D) = E + A/N^α + B/D^β when the study varies both, power laws in N and in D on their own.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "analysis/chinchilla_fit.hpp"
#include "analysis/compute_optimal.hpp"
#include "core/format.hpp"
#include "report/fitted_curves.hpp"
#include "report/sections.hpp"
#include "report/vega.hpp"
#include "results/fit_settings.hpp"
#include "results/loss_points.hpp"
#include "results/missing_facts.hpp"

namespace emlab::report {

namespace {

constexpr size_t kMinPowerLawPoints = 4;     // three parameters and one point to spare
constexpr size_t kMinChinchillaRuns = 6;     // five parameters and one point to spare
constexpr size_t kMinChinchillaSizes = 3;    // α needs a curve in N, not two points
constexpr size_t kMinChinchillaBudgets = 3;  // two budgets cannot tell B from β

using FinalPoint = analysis::LossPoint;  // one completed run's final checkpoint

// The lowest final loss at each distinct value of one scale (the best a size reached over its
// token budgets, or a budget over its sizes): the envelope a power law in that scale describes.
std::map<double, double> envelope(const std::vector<FinalPoint>& points,
                                  double FinalPoint::*scale) {
  std::map<double, double> best;
  for (const FinalPoint& p : points) {
    auto [it, inserted] = best.try_emplace(p.*scale, p.loss);
    if (!inserted) it->second = std::min(it->second, p.loss);
  }
  return best;
}

nlohmann::json points_json(const std::vector<FinalPoint>& points) {
  nlohmann::json out = nlohmann::json::array();
  for (const FinalPoint& p : points)
    out.push_back({{"run", p.model},
                   {"params", p.params},
                   {"tokens", p.tokens},
                   {"flops", p.flops},
                   {"loss", p.loss}});
  return out;
}

// What one scale's chart needs: its field, its axis title, and the other scale that colours it.
struct Axis {
  const char* field;
  const char* title;
  const char* other_field;
  const char* other_title;
  double FinalPoint::*scale;
};
constexpr Axis kParamsAxis{"params", "parameters N", "tokens", "tokens D", &FinalPoint::params};
constexpr Axis kTokensAxis{"tokens", "training tokens D", "params", "parameters N",
                           &FinalPoint::tokens};

// L(N, D) of the fit along one axis, one curve per distinct value of the other scale in the
// results.
nlohmann::json chinchilla_curves(const analysis::ChinchillaFit& fit,
                                 const std::vector<FinalPoint>& points, const Axis& axis) {
  const Axis& other = axis.scale == kParamsAxis.scale ? kTokensAxis : kParamsAxis;
  const auto along = envelope(points, axis.scale);
  const auto across = envelope(points, other.scale);
  nlohmann::json curve = nlohmann::json::array();
  for (const auto& [fixed, unused] : across)
    for (const double x : log_grid(along.begin()->first / 2, along.rbegin()->first * 4)) {
      const double n = axis.scale == kParamsAxis.scale ? x : fixed;
      const double d = axis.scale == kParamsAxis.scale ? fixed : x;
      curve.push_back(
          {{"params", n}, {"tokens", d}, {"fit", number(fit.params.loss(n, d))}, {"kind", "fit"}});
    }
  return curve;
}

nlohmann::json loss_chart(const std::vector<FinalPoint>& points, const Axis& axis,
                          const nlohmann::json& chinchilla, const nlohmann::json& power_law) {
  const nlohmann::json x = count_axis(axis.field, axis.title);
  const Axis& other = axis.scale == kParamsAxis.scale ? kTokensAxis : kParamsAxis;
  nlohmann::json values = nlohmann::json::array();  // the legend lists the study's values only
  for (const auto& [value, unused] : envelope(points, other.scale)) values.push_back(value);
  const nlohmann::json colour = {{"field", axis.other_field},
                                 {"type", "quantitative"},
                                 {"scale", {{"type", "log"}, {"scheme", "viridis"}}},
                                 {"legend", {{"values", values}, {"format", ".3~s"}}},
                                 {"title", axis.other_title}};
  nlohmann::json layers = nlohmann::json::array();
  if (!chinchilla.is_null())
    layers.push_back({{"data", {{"values", chinchilla}}},
                      {"mark", {{"type", "line"}, {"strokeDash", {6, 4}}}},
                      {"encoding",
                       {{"x", {{"field", axis.field}, {"type", "quantitative"}}},
                        {"y", {{"field", "fit"}, {"type", "quantitative"}}},
                        {"color", colour},
                        {"detail", {{"field", axis.other_field}}},
                        {"tooltip",
                         {{{"field", "params"}, {"format", ".3s"}, {"title", "N"}},
                          {{"field", "tokens"}, {"format", ".3s"}, {"title", "D"}},
                          {{"field", "fit"}, {"format", ".4f"}, {"title", "fitted L(N, D)"}}}}}}});
  if (!power_law.is_null()) {
    layers.push_back({{"data", {{"values", power_law}}},
                      {"mark", {{"type", "area"}, {"opacity", 0.15}, {"color", "black"}}},
                      {"encoding",
                       {{"x", {{"field", axis.field}, {"type", "quantitative"}}},
                        {"y", {{"field", "lower"}, {"type", "quantitative"}}},
                        {"y2", {{"field", "upper"}}}}}});
    layers.push_back({{"data", {{"values", power_law}}},
                      {"mark", {{"type", "line"}, {"strokeDash", {2, 3}}, {"color", "black"}}},
                      {"encoding",
                       {{"x", {{"field", axis.field}, {"type", "quantitative"}}},
                        {"y", {{"field", "fit"}, {"type", "quantitative"}}},
                        {"tooltip",
                         {{{"field", axis.field}, {"format", ".3s"}},
                          {{"field", "fit"}, {"format", ".4f"}, {"title", "power law"}},
                          {{"field", "lower"}, {"format", ".4f"}},
                          {{"field", "upper"}, {"format", ".4f"}}}}}}});
  }
  layers.push_back({{"data", {{"values", points_json(points)}}},
                    {"params", {hover_param()}},
                    {"mark", {{"type", "point"}, {"filled", true}, {"size", 80}}},
                    {"encoding",
                     {{"x", x},
                      {"y", axis_field("loss", "quantitative", "final loss (nats/token)", true)},
                      {"color", colour},
                      {"opacity", hover_opacity()},
                      {"tooltip",
                       {{{"field", "run"}},
                        {{"field", "params"}, {"format", ",d"}},
                        {{"field", "tokens"}, {"format", ".3s"}},
                        {{"field", "flops"}, {"format", ".3g"}},
                        {{"field", "loss"}, {"format", ".4f"}}}}}}});
  return chart({{"layer", layers}, {"width", 420}}, {"x", "y"});
}

nlohmann::json chinchilla_tables(const analysis::ChinchillaFit& fit, double largest_compute) {
  nlohmann::json rows = nlohmann::json::array(
      {estimate_row("E", fit.E), estimate_row("A", fit.A), estimate_row("B", fit.B),
       estimate_row("α (parameters)", fit.alpha), estimate_row("β (tokens)", fit.beta),
       estimate_row("a: N_opt ∝ C^a, a = β/(α+β)", analysis::params_exponent(fit, 0.95)),
       nlohmann::json::array({"points", fit.points, ""})});
  nlohmann::json optimal = nlohmann::json::array();
  for (const double c : {largest_compute, 10 * largest_compute, 100 * largest_compute}) {
    const auto e = analysis::compute_optimal_estimate(fit, c, 0.95);
    const auto cell = [](const analysis::Estimate& x) {
      return fmt::format("{} [{}, {}]", human_count(x.value), human_count(x.interval.lower),
                         human_count(x.interval.upper));
    };
    optimal.push_back(
        {fmt::format("{:.3g}", c), cell(e.params), cell(e.tokens),
         fmt::format("{:.3g} [{:.3g}, {:.3g}]", e.tokens_per_param.value,
                     e.tokens_per_param.interval.lower, e.tokens_per_param.interval.upper)});
  }
  return nlohmann::json::array(
      {{{"title", "Chinchilla L(N, D) = E + A/N^α + B/D^β over final checkpoints"},
        {"columns", {"parameter", "estimate", "95% interval"}},
        {"rows", rows}},
       {{"title",
         "Compute-optimal allocation from the fit, for C = 6ND at 1×, 10× and 100× the study's "
         "largest 6ND (N counts every parameter; the compute axes above count the FLOPs measured "
         "per token, attention included, so their values differ)"},
        {"columns", {"C = 6ND", "N_opt", "D_opt", "D/N"}},
        {"rows", optimal}}});
}

nlohmann::json loss_against_sizes(const results::ResultSet& results) {
  const std::string title = "Loss against parameters and data";
  const std::vector<FinalPoint> points = results::final_loss_points(results);
  if (points.empty())
    return missing_section(
        "size", title,
        why_no_losses(results,
                      "No run has finished with a measured validation loss yet: final loss "
                      "against N and D appears when the first one does."));
  const auto sizes = envelope(points, &FinalPoint::params);
  const auto budgets = envelope(points, &FinalPoint::tokens);
  nlohmann::json section = {{"id", "size"},
                            {"title", title},
                            {"charts", nlohmann::json::array()},
                            {"tables", nlohmann::json::array()},
                            {"missing", nullptr}};
  std::string text = fmt::format(
      "<p>Final validation loss of the {} completed runs against parameters N (all of them, "
      "embeddings included) and training tokens D, coloured by the other scale. Hover a point "
      "to see the run.</p>",
      points.size());

  // Chinchilla's form when the study varies both scales enough to tell their terms apart.
  nlohmann::json chinchilla_n = nullptr, chinchilla_d = nullptr;
  if (points.size() >= kMinChinchillaRuns && sizes.size() >= kMinChinchillaSizes &&
      budgets.size() >= kMinChinchillaBudgets) {
    std::vector<double> n, d, loss;
    double largest_compute = 0;
    for (const FinalPoint& p : points) {
      n.push_back(p.params);
      d.push_back(p.tokens);
      loss.push_back(p.loss);
      largest_compute = std::max(largest_compute, 6 * p.params * p.tokens);
    }
    const analysis::ChinchillaFit fit =
        analysis::fit_chinchilla(n, d, loss, results::report_chinchilla());
    const auto& p = fit.params;
    if (chinchilla_degenerate(p)) {
      // A term ran off towards a step: the points cannot separate it from the others.
      text += fmt::format(
          "<p><b>The L(N, D) fit is degenerate</b> (E {:.3g}, A {:.3g}, B {:.3g}, α {:.3g}, "
          "β {:.3g}): these {} points cannot tell its terms apart (an exponent above {} makes a "
          "term a step), so it is not drawn. More token budgets or sizes, spread wider, "
          "would.</p>",
          p.E, p.A, p.B, p.alpha, p.beta, points.size(), kMaxExponent);
    } else {
      chinchilla_n = chinchilla_curves(fit, points, kParamsAxis);
      chinchilla_d = chinchilla_curves(fit, points, kTokensAxis);
      for (auto& table : chinchilla_tables(fit, largest_compute))
        section["tables"].push_back(std::move(table));
      text += fmt::format(
          "<p>Dashed curves: Chinchilla's L(N, D) = E + A/N^α + B/D^β (Hoffmann et al. 2022, "
          "approach 3: Huber loss on log L, best of 32 starts, {} bootstrap resamples for the "
          "intervals) "
          "fitted to all {} points, drawn for each token budget (left) and each model size "
          "(right) of the results. The compute-optimal allocation below follows from it for "
          "C = 6ND; beyond the largest compute here it is an extrapolation.</p>",
          results::kReportBootstrapResamples, points.size());
    }
  } else {
    text += fmt::format(
        "<p><b>No L(N, D) fit</b>: Chinchilla's form has 5 parameters; it needs at least {} "
        "completed runs with at least {} sizes and {} token budgets. This study has {} runs, {} "
        "{} and {} {}.</p>",
        kMinChinchillaRuns, kMinChinchillaSizes, kMinChinchillaBudgets, points.size(), sizes.size(),
        sizes.size() == 1 ? "size" : "sizes", budgets.size(),
        budgets.size() == 1 ? "budget" : "budgets");
  }

  // A power law along each scale alone, over the lowest loss at each value of it.
  for (const Axis& axis : {kParamsAxis, kTokensAxis}) {
    const auto best = envelope(points, axis.scale);
    nlohmann::json curve = nullptr;
    const char* symbol = axis.scale == kParamsAxis.scale ? "N" : "D";
    if (best.size() >= kMinPowerLawPoints) {
      std::vector<double> x, loss;
      for (const auto& [value, l] : best) {
        x.push_back(value);
        loss.push_back(l);
      }
      const analysis::PowerLawFit fit =
          analysis::fit_power_law(x, loss, results::report_power_law());
      curve = power_law_curve(fit, axis.field, x.front() / 2, x.back() * 4);
      section["tables"].push_back(power_law_table(
          fit, fmt::format("Power law L({0}) = E + A·{0}^(−α) over the lowest final loss at each "
                           "{0}",
                           symbol)));
      // Which runs of the other scale reached those lowest losses: their term sits in E.
      const Axis& other = axis.scale == kParamsAxis.scale ? kTokensAxis : kParamsAxis;
      std::set<double> from;
      for (const auto& [value, l] : best)
        for (const FinalPoint& p : points)
          if (p.*axis.scale == value && p.loss == l) from.insert(p.*other.scale);
      std::string named;
      for (double v : from) named += (named.empty() ? "" : ", ") + human_count(v);
      text += fmt::format(
          "<p>Dotted black, against {}: a power law in {} alone over the lowest final loss at "
          "each of its {} values, with its 95% bootstrap band. Its floor E is not the "
          "irreducible loss: those lowest losses came from {} = {}, and E holds the {} term "
          "{} there.</p>",
          axis.title, symbol, best.size(), other.scale == kParamsAxis.scale ? "N" : "D", named,
          other.scale == kParamsAxis.scale ? "parameter" : "data",
          other.scale == kParamsAxis.scale ? "A/N^α" : "B/D^β");
    } else {
      text += fmt::format(
          "<p>No power law in {} alone: it needs {} distinct values of {}; this study has {}.</p>",
          symbol, kMinPowerLawPoints, symbol, best.size());
    }
    const nlohmann::json& lines = axis.scale == kParamsAxis.scale ? chinchilla_n : chinchilla_d;
    section["charts"].push_back(chart_entry(std::string("loss-") + axis.field,
                                            std::string("Final loss against ") + axis.title,
                                            loss_chart(points, axis, lines, curve)));
  }
  section["text"] = text;
  return section;
}

}  // namespace

nlohmann::json size_section(const results::ResultSet& results) {
  nlohmann::json section = loss_against_sizes(results);
  add_left_out(section, results::loss_left_out_note(results, "The loss against N and D"));
  return section;
}

}  // namespace emlab::report
