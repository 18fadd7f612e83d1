// Forecast of the largest model from the smaller ones when a study has no losses (real model
// families imported from their evaluations): every score curve over size is fitted on all sizes
// but the largest, and the largest is predicted two ways, a sigmoid in log N and a straight line
// through the two largest fitted sizes, then compared with what it scored.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "analysis/forecast.hpp"
#include "core/format.hpp"
#include "report/sections.hpp"
#include "report/vega.hpp"
#include "results/score_curves.hpp"

namespace emlab::report {

namespace {

constexpr size_t kMinSizes = 5;  // a sigmoid's 4 parameters (3 with the floor at chance), + 1

double median(std::vector<double> v) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  const size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

bool in_unit_range(const results::ScoreCurve& c) {
  return std::all_of(c.points.begin(), c.points.end(),
                     [](const auto& p) { return p.value >= 0 && p.value <= 1; });
}

}  // namespace

nlohmann::json ability_backtest_section(const results::ResultSet& results,
                                        const std::string& title) {
  std::vector<results::ScoreCurve> curves;
  for (results::ScoreCurve& c : results::size_curves(results, kMinSizes))
    if (c.higher_is_better && in_unit_range(c)) curves.push_back(std::move(c));
  if (curves.empty()) return nullptr;

  nlohmann::json rows = nlohmann::json::array(), table = nlohmann::json::array();
  std::vector<double> sigmoid_errors, line_errors;
  size_t sigmoid_closer = 0, within_two_se = 0, with_se = 0;
  for (const results::ScoreCurve& c : curves) {
    std::vector<double> x, y;
    for (const auto& p : c.points) {
      x.push_back(std::log10(p.x));
      y.push_back(p.value);
    }
    const size_t n = x.size();
    analysis::SigmoidOptions options;
    options.fix_floor = std::isfinite(c.chance);
    options.floor = std::isfinite(c.chance) ? c.chance : 0;
    double sigmoid = NAN;
    try {
      const auto f = analysis::forecast_ability(c.label(), x, y, false, x[n - 2], 0.5, options);
      if (!f.held_out_predicted.empty()) sigmoid = f.held_out_predicted.back();
    } catch (const std::exception&) {
      // A fit that fails is no forecast; the row says so.
    }
    const double slope = (y[n - 2] - y[n - 3]) / (x[n - 2] - x[n - 3]);
    const double line = std::clamp(y[n - 2] + slope * (x[n - 1] - x[n - 2]), 0.0, 1.0);
    const double observed = y[n - 1];
    const double se = c.points.back().stderr_value;
    if (std::isfinite(sigmoid)) {
      sigmoid_errors.push_back(std::fabs(sigmoid - observed));
      line_errors.push_back(std::fabs(line - observed));
      sigmoid_closer += std::fabs(sigmoid - observed) <= std::fabs(line - observed);
      if (se >= 0) {
        ++with_se;
        within_two_se += std::fabs(sigmoid - observed) <= 2 * se;
      }
    }
    rows.push_back({{"curve", c.label()},
                    {"observed", observed},
                    {"predicted", std::isfinite(sigmoid) ? nlohmann::json(sigmoid) : nullptr},
                    {"line", line}});
    table.push_back({c.task, c.metric, c.family.empty() ? kNoValue : c.family,
                     human_count(c.points.back().x), fmt::format("{:.4f}", observed),
                     std::isfinite(sigmoid) ? fmt::format("{:.4f}", sigmoid) : "fit failed",
                     format_number(sigmoid - observed, "{:+.4f}"), fmt::format("{:.4f}", line),
                     fmt::format("{:+.4f}", line - observed)});
  }
  const nlohmann::json observed_axis =
      score_axis("observed", "observed score of the largest model");
  const nlohmann::json predicted_axis =
      score_axis("predicted", "sigmoid forecast from the smaller models");
  const nlohmann::json spec = {
      {"data", {{"values", rows}}},
      {"layer",
       {{{"mark", {{"type", "rule"}, {"strokeDash", {4, 4}}, {"color", "#999"}}},
         {"data", {{"values", {{{"observed", 0}, {"predicted", 0}, {"o2", 1}, {"p2", 1}}}}}},
         {"encoding",
          {{"x", observed_axis},
           {"y", predicted_axis},
           {"x2", {{"field", "o2"}}},
           {"y2", {{"field", "p2"}}}}}},
        {{"mark", {{"type", "point"}, {"filled", true}}},
         {"encoding",
          {{"x", observed_axis},
           {"y", predicted_axis},
           {"tooltip",
            {{{"field", "curve"}},
             {{"field", "observed"}, {"format", ".4f"}},
             {{"field", "predicted"}, {"format", ".4f"}},
             {{"field", "line"}, {"format", ".4f"}, {"title", "straight line"}}}}}}}}}};
  const std::string text = fmt::format(
      "<p>This study has no training losses (evaluations of real model families carry none), so "
      "the backtest forecasts scores instead: every task × metric curve over size with at least "
      "{} sizes is fitted on all but its largest model, by a sigmoid in log N (floor held at the "
      "chance level where one is known) and, for comparison, by a straight line in log N through "
      "the two largest fitted sizes; both predict the largest model. Over {} curves the median "
      "absolute error is {:.3f} for the sigmoid and {:.3f} for the straight line; the sigmoid is "
      "as close or closer on {} of them{}.</p>",
      kMinSizes, sigmoid_errors.size(), median(sigmoid_errors), median(line_errors), sigmoid_closer,
      with_se ? fmt::format(", and within two standard errors of the observed score on {} of the "
                            "{} curves whose largest point has one",
                            within_two_se, with_se)
              : "");
  return {{"id", "forecast"},
          {"title", title},
          {"text", text},
          {"charts",
           {chart_entry("abilities", "Largest model: forecast against observed", chart(spec),
                        "Each point is one task × metric; on the dashed diagonal the forecast "
                        "is exact.")}},
          {"tables",
           {{{"title", "Largest model of every curve"},
             {"columns",
              {"task", "metric", "family", "N", "observed", "sigmoid forecast", "error",
               "straight line", "error"}},
             {"rows", table}}}},
          {"missing", nullptr}};
}

}  // namespace emlab::report
