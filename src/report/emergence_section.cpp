// Is it emergent? Every task × metric curve over model size (final checkpoints, one curve per
// token budget) judged three ways: the Wei-style test (above chance from some size on, Holm-
// adjusted across every curve), and BIG-bench's breakthroughness and linearity. Side by side, the
// metrics of one task show whether a jump belongs to the model or to the metric.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "analysis/emergence_measures.hpp"
#include "analysis/wei_test.hpp"
#include "core/format.hpp"
#include "eval/task_summary.hpp"
#include "report/sections.hpp"
#include "report/vega.hpp"

namespace emlab::report {

namespace {

constexpr size_t kMinSizes = 3;  // a jump needs a before and an after around its threshold

struct Curve {
  std::string task, metric;
  bool continuous = true, higher_is_better = true;
  int64_t budget = 0;  // training tokens of its runs
  double chance = NAN;
  std::vector<analysis::CurvePoint> points;  // x = parameters, ascending; seeds averaged
  std::string label() const {
    return fmt::format("{} / {} @ D={}", task, metric, human_count(double(budget)));
  }
  size_t most_runs_per_size = 1;  // runs sharing N and D (seeds) averaged into one point
  // The test needs a chance level (0 for a 0/1 score of an open answer) and every point's
  // uncertainty: its standard error or its n.
  bool wei_testable() const {
    if (!higher_is_better || (continuous && !std::isfinite(chance))) return false;
    return std::all_of(points.begin(), points.end(),
                       [](const auto& p) { return p.stderr_value >= 0 || p.n > 0; });
  }
};

// Seeds of one size averaged: the mean value, its standard error from theirs, their n summed.
analysis::CurvePoint average(const std::vector<analysis::CurvePoint>& seeds) {
  analysis::CurvePoint p{seeds.front().x, 0, 0, 0};
  bool se_known = true, n_known = true;
  for (const auto& s : seeds) {
    p.value += s.value / double(seeds.size());
    p.stderr_value += s.stderr_value * s.stderr_value;
    p.n += s.n;
    se_known = se_known && s.stderr_value >= 0;
    n_known = n_known && s.n > 0;
  }
  p.stderr_value = se_known ? std::sqrt(p.stderr_value) / double(seeds.size()) : -1;
  if (!n_known) p.n = -1;
  return p;
}

std::vector<Curve> final_curves(const Study& study) {
  using Key = std::tuple<std::string, std::string, int64_t>;
  std::map<Key, Curve> curves;
  std::map<Key, std::map<double, std::vector<analysis::CurvePoint>>> by_size;
  for (const StudyRun& run : study.runs) {
    const StudyCheckpoint* last = run.last();
    if (!run.completed() || last == nullptr) continue;
    for (const store::MetricRow& m : last->metrics) {
      if (!std::isfinite(m.value)) continue;
      const Key key{m.task, m.metric, run.row.plan.tokens};
      Curve& c = curves[key];
      c.task = m.task;
      c.metric = m.metric;
      c.continuous = m.continuous;
      c.higher_is_better = eval::metric_higher_is_better(m.metric);
      c.budget = run.row.plan.tokens;
      if (std::isfinite(m.chance)) c.chance = m.chance;
      const double params = double(run.row.plan.parameters);
      by_size[key][params].push_back({params, m.value,
                                      std::isfinite(m.standard_error) ? m.standard_error : -1,
                                      m.n > 0 ? double(m.n) : -1});
    }
  }
  std::vector<Curve> out;
  for (auto& [key, c] : curves) {
    for (const auto& [params, seeds] : by_size[key]) {
      c.points.push_back(average(seeds));
      c.most_runs_per_size = std::max(c.most_runs_per_size, seeds.size());
    }
    if (c.points.size() >= kMinSizes) out.push_back(std::move(c));
  }
  return out;
}

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
  if (std::isinf(v)) return v > 0 ? "∞" : "−∞";
  return std::isfinite(v) ? fmt::format("{:.3g}", v) : "–";
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
           {"detail", {{"field", "budget"}}},
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

}  // namespace

nlohmann::json emergence_section(const Study& study) {
  const std::string title = "Is it emergent? Verdicts by task and metric";
  const std::vector<Curve> curves = final_curves(study);
  if (curves.empty())
    return missing_section(
        "emergence", title,
        fmt::format("The verdicts compare model sizes: they need completed runs of at least {} "
                    "sizes trained on the same number of tokens, with task scores.",
                    kMinSizes));

  std::vector<analysis::LabelledCurve> testable;
  for (const Curve& c : curves)
    if (c.wei_testable())
      testable.push_back({c.label(), std::isfinite(c.chance) ? c.chance : 0.0, c.points});
  const auto tests = analysis::wei_emergence_test(testable, 0.05);

  nlohmann::json rows = nlohmann::json::array();
  std::vector<std::string> emergent;
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
        emergent.push_back(c.label());
      }
    } else if (!c.higher_is_better) {
      verdict = "not tested: lower is better";
    } else if (!c.continuous || std::isfinite(c.chance)) {
      verdict = "not tested: a point has neither a standard error nor n";
    }
    rows.push_back(
        {c.task, c.metric, c.continuous ? "continuous" : "0/1", human_count(double(c.budget)),
         c.points.size(), c.most_runs_per_size, fmt::format("{:.4g} → {:.4g}", v.front(), v.back()),
         show(analysis::breakthroughness(up)), show(analysis::linearity(up)), verdict, threshold});
  }

  std::string text = fmt::format(
      "<p>Each task × metric over model size, at the final checkpoint of every completed run, "
      "one curve per token budget with at least {} sizes; runs that share a size and a budget "
      "(seeds) are averaged into one point, and the table gives their number. "
      "<b>Wei test</b>: emergent when the smaller models are not significantly above chance and "
      "every model from some size on is (one-sided z-tests, the curve's p the largest of its "
      "points', Holm-adjusted over the {} tested curves; Wei et al. 2022). "
      "<b>Breakthroughness</b> B = I(y)/root-median-square of the steps and "
      "<b>linearity</b> L = I(y)/root-mean-square of the steps (BIG-bench, Srivastava et al. "
      "2022): a straight climb over m sizes gives B = L = m − 1, a single jump a much larger B; "
      "both are computed on the metric turned so that up is better, so a positive value means it "
      "improves with size. When a 0/1 metric jumps while the same task's "
      "continuous metrics climb steadily, the jump is the metric's (Schaeffer et al. 2023).</p>",
      kMinSizes, testable.size());
  if (emergent.empty()) {
    text += "<p><b>No curve passes the Wei test</b> in this study.</p>";
  } else {
    std::string list;
    for (const auto& e : emergent) list += (list.empty() ? "" : "; ") + e;
    text += fmt::format("<p><b>Emergent by the Wei test ({}):</b> {}.</p>", emergent.size(), list);
  }
  nlohmann::json section = {
      {"id", "emergence"},
      {"title", title},
      {"text", text},
      {"charts", nlohmann::json::array()},
      {"tables",
       {{{"title", "Verdict of every curve"},
         {"columns",
          {"task", "metric", "kind", "tokens D", "sizes", "runs per size", "smallest → largest",
           "B", "L", "Wei test (Holm-adjusted p)", "emerges at N"}},
         {"rows", rows}}}},
      {"missing", nullptr}};
  const nlohmann::json shapes = shapes_chart(curves);
  if (!shapes.is_null())
    section["charts"].push_back(chart_entry(
        "shapes", "Every metric rescaled to its own range", shapes,
        "Click a metric in the legend to pick it out; dashes tell the metrics apart in print."));
  return section;
}

}  // namespace emlab::report
