// Is it emergent? Every task × metric curve over model size (final checkpoints, one curve per
// token budget) judged three ways: the Wei-style test (above chance from some size on, Holm-
// adjusted across every curve), and BIG-bench's breakthroughness and linearity. Side by side, the
// metrics of one task show whether a jump belongs to the model or to the metric.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "analysis/emergence_measures.hpp"
#include "analysis/wei_test.hpp"
#include "core/format.hpp"
#include "report/sections.hpp"
#include "report/vega.hpp"
#include "results/missing_facts.hpp"
#include "results/score_curves.hpp"

namespace emlab::report {

namespace {

constexpr size_t kMinSizes = 3;  // a jump needs a before and an after around its threshold

using Curve = results::ScoreCurve;

std::vector<double> values(const Curve& c) {
  std::vector<double> v;
  for (const auto& p : c.points) v.push_back(p.value);
  return v;
}

// The values turned so that up is better: breakthroughness and linearity then read positive
// when a metric improves with size, whichever its direction.
std::vector<double> improvement(const Curve& c) {
  std::vector<double> v = values(c);
  if (!c.higher_is_better)
    for (double& x : v) x = -x;
  return v;
}

std::string show(double v) {
  return format_number(v, "{:.3g}");
}

// Each curve rescaled to its own range, worst 0 and best 1, so metrics of different units share
// one axis and a step stands out from a steady climb.
nlohmann::json shapes_chart(const std::vector<Curve>& curves) {
  nlohmann::json rows = nlohmann::json::array();
  for (const Curve& c : curves) {
    const auto v = values(c);
    const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
    if (*hi - *lo <= 0) continue;
    for (const auto& p : c.points) {
      const double up = (p.value - *lo) / (*hi - *lo);
      rows.push_back({{"task", c.task},
                      {"metric", c.metric + (c.continuous ? "" : " (0/1)")},
                      {"budget", c.budget},
                      {"family", c.family},
                      {"params", p.x},
                      {"value", p.value},
                      {"scaled", c.higher_is_better ? up : 1 - up}});
    }
  }
  if (rows.empty()) return nullptr;
  return chart(
      {{"data", {{"values", rows}}},
       {"facet", {{"field", "task"}, {"type", "nominal"}, {"title", nullptr}}},
       {"columns", 2},
       {"spec",
        {{"width", 320},
         {"height", 200},
         {"params",
          {{{"name", "pick"},
            {"select", {{"type", "point"}, {"fields", {"metric"}}}},
            {"bind", "legend"}}}},
         {"mark", {{"type", "line"}, {"point", true}}},
         {"encoding",
          {{"x", count_axis("params", "parameters")},
           {"y",
            {{"field", "scaled"},
             {"type", "quantitative"},
             {"title", "share of the curve's range (0 worst, 1 best)"}}},
           {"color", {{"field", "metric"}, {"type", "nominal"}}},
           {"strokeDash",
            {{"field", "metric"}, {"type", "nominal"}, {"legend", nullptr}, {"sort", "ascending"}}},
           {"detail", {{{"field", "budget"}}, {{"field", "family"}}}},
           {"opacity",
            {{"condition", {{"param", "pick"}, {"empty", true}, {"value", 1.0}}}, {"value", 0.15}}},
           {"tooltip",
            {{{"field", "metric"}},
             {{"field", "params"}, {"format", ",d"}},
             {{"field", "budget"}, {"format", ".3s"}, {"title", "tokens"}},
             {{"field", "value"}, {"format", ".4f"}},
             {{"field", "scaled"}, {"format", ".2f"}}}}}}}}},
      {"x"});
}

// The verdict of every curve (Wei test Holm-adjusted over the testable ones of this table),
// one row each; `emergent` collects the labels of the curves the test calls emergent.
struct VerdictTable {
  nlohmann::json rows = nlohmann::json::array();
  std::vector<std::string> emergent;
  size_t tested = 0;
};

VerdictTable verdict_table(const std::vector<Curve>& curves, bool over_training) {
  std::vector<analysis::LabelledCurve> testable;
  for (const Curve& c : curves)
    if (c.wei_testable())
      testable.push_back({c.label(), std::isfinite(c.chance) ? c.chance : 0.0, c.points});
  const auto tests = analysis::wei_emergence_test(testable, 0.05);
  VerdictTable table;
  table.tested = testable.size();
  size_t t = 0;
  for (const Curve& c : curves) {
    const auto v = values(c);
    const auto up = improvement(c);
    std::string verdict = "not tested: continuous, no chance level", threshold = "";
    if (c.wei_testable()) {
      const auto& r = tests[t++];
      verdict = fmt::format("{} (p {:.2g})", r.verdict, r.adjusted_p);
      if (r.emergent) {
        threshold = human_count(r.threshold_x);
        table.emergent.push_back(c.label());
      }
    } else if (!c.higher_is_better) {
      verdict = "not tested: lower is better";
    } else if (!c.continuous || std::isfinite(c.chance)) {
      verdict = "not tested: a point has neither a standard error nor n";
    }
    nlohmann::json row = {c.task, c.metric, c.continuous ? "continuous" : "0/1"};
    if (over_training) {
      row.push_back(c.run);
      row.push_back(c.points.size());
    } else {
      row.push_back(c.family.empty() ? kNoValue : c.family);
      row.push_back(human_count(double(c.budget)));
      row.push_back(c.points.size());
      row.push_back(c.most_runs_per_size);
    }
    for (const nlohmann::json& cell :
         {nlohmann::json(fmt::format("{:.4g} → {:.4g}", v.front(), v.back())),
          nlohmann::json(show(analysis::breakthroughness(up))),
          nlohmann::json(show(analysis::linearity(up))), nlohmann::json(verdict),
          nlohmann::json(threshold)})
      row.push_back(cell);
    table.rows.push_back(std::move(row));
  }
  return table;
}

std::string emergent_list(const std::vector<std::string>& emergent) {
  std::string list;
  for (const auto& e : emergent) list += (list.empty() ? "" : "; ") + e;
  return list;
}

nlohmann::json verdicts(const results::ResultSet& results) {
  const std::string title = "Is it emergent? Verdicts by task and metric";
  const std::vector<Curve> curves = results::size_curves(results, kMinSizes);
  const std::vector<Curve> over_training = results::training_curves(results, kMinSizes);
  if (curves.empty() && over_training.empty())
    return missing_section(
        "emergence", title,
        fmt::format("The verdicts compare model sizes: they need completed runs of at least {} "
                    "sizes trained on the same number of tokens (or, for real model families, "
                    "of the same family), with task scores; or one run evaluated at {} or more "
                    "checkpoints.",
                    kMinSizes, kMinSizes));

  const VerdictTable by_size = verdict_table(curves, false);
  std::string text = fmt::format(
      "<p>Each task × metric over model size, at the final checkpoint of every completed run, "
      "one curve per model family and token budget with at least {} sizes; runs that share a "
      "size and a budget (seeds) are averaged into one point, and the table gives their number. "
      "<b>Wei test</b>: emergent when the smaller models are not significantly above chance and "
      "every model from some size on is (one-sided z-tests, the curve's p the largest of its "
      "points', Holm-adjusted over the {} tested curves; Wei et al. 2022). "
      "<b>Breakthroughness</b> B = I(y)/root-median-square of the steps and "
      "<b>linearity</b> L = I(y)/root-mean-square of the steps (BIG-bench, Srivastava et al. "
      "2022): a straight climb over m sizes gives B = L = m − 1, a single jump a much larger B; "
      "both are computed on the metric turned so that up is better, so a positive value means it "
      "improves with size. When a 0/1 metric jumps while the same task's "
      "continuous metrics climb steadily, the jump is the metric's (Schaeffer et al. 2023).</p>",
      kMinSizes, by_size.tested);
  if (curves.empty()) {
    text += fmt::format("<p>No curve over size: no family has {} sizes with the same budget.</p>",
                        kMinSizes);
  } else if (by_size.emergent.empty()) {
    text += "<p><b>No curve over size passes the Wei test</b> in this results.</p>";
  } else {
    text += fmt::format("<p><b>Emergent with size by the Wei test ({}):</b> {}.</p>",
                        by_size.emergent.size(), emergent_list(by_size.emergent));
  }
  nlohmann::json tables = nlohmann::json::array();
  if (!curves.empty())
    tables.push_back(
        {{"title", "Verdict of every curve over model size"},
         {"columns",
          {"task", "metric", "kind", "family", "tokens D", "sizes", "runs per size",
           "smallest → largest", "B", "L", "Wei test (Holm-adjusted p)", "emerges at N"}},
         {"rows", by_size.rows}});
  if (!over_training.empty()) {
    const VerdictTable by_step = verdict_table(over_training, true);
    text += fmt::format(
        "<p><b>Over training</b>: the same measures over the checkpoints of the largest run of "
        "each family and budget that was evaluated at {} or more checkpoints (x = tokens seen; "
        "Holm-adjusted over its own {} tested curves). ",
        kMinSizes, by_step.tested);
    text += by_step.emergent.empty()
                ? std::string("No curve over training passes the Wei test.</p>")
                : fmt::format("Emergent during training ({}): {}.</p>", by_step.emergent.size(),
                              emergent_list(by_step.emergent));
    tables.push_back({{"title", "Verdict of every curve over training steps"},
                      {"columns",
                       {"task", "metric", "kind", "run", "checkpoints", "first → last", "B", "L",
                        "Wei test (Holm-adjusted p)", "emerges at tokens"}},
                      {"rows", by_step.rows}});
  }
  nlohmann::json section = {{"id", "emergence"}, {"title", title},
                            {"text", text},      {"charts", nlohmann::json::array()},
                            {"tables", tables},  {"missing", nullptr}};
  const nlohmann::json shapes = shapes_chart(curves);
  if (!shapes.is_null())
    section["charts"].push_back(chart_entry(
        "shapes", "Every metric rescaled to its own range", shapes,
        "Click a metric in the legend to pick it out; dashes tell the metrics apart in print."));
  return section;
}

}  // namespace

nlohmann::json emergence_section(const results::ResultSet& results) {
  nlohmann::json section = verdicts(results);
  add_left_out(section, results::left_out_note(
                            results, analysis::ScaleAxis::tokens,
                            "The curves over size (each at one token budget) and over training"));
  return section;
}

}  // namespace emlab::report
