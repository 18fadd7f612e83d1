#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "analysis/mirage.hpp"
#include "core/format.hpp"
#include "report/family_colours.hpp"
#include "report/sections.hpp"
#include "report/vega.hpp"

namespace emlab::report {

namespace {

// One colour per token budget (rows carry "budget", e.g. "1M", and "budget_tokens"), in order.
nlohmann::json budget_colour() {
  return {{"field", "budget"},
          {"type", "ordinal"},
          {"sort", {{"field", "budget_tokens"}, {"op", "min"}}},
          {"scale", {{"scheme", "viridis"}}},
          {"title", "tokens D"}};
}

// A run's token budget as a legend names it; "unknown" where an imported table left it blank.
std::string budget_label(const results::RunResults& run) {
  return run.row.tokens_known ? human_count(double(run.row.plan.tokens)) : "unknown";
}

// How the lines of a task's charts are drawn: one per token budget for our own sweeps; one per
// model family for imported evaluations of many families (the largest named, the rest grey).
struct Lines {
  std::optional<FamilyColours> families;
  // Colour, and for families the field that splits lines beyond it (grey ones share a colour).
  void encode(nlohmann::json& encoding) const {
    encoding["color"] = families ? families->encoding() : budget_colour();
    if (families) encoding["detail"] = {{"field", "family"}};
  }
};

// The metric rows of one task at the final (else the latest) checkpoint of every run, with the
// run's scale (and family) attached.
nlohmann::json final_metric_rows(const results::ResultSet& results, const std::string& task,
                                 const Lines& lines, std::vector<std::string>& metric_order) {
  nlohmann::json rows = nlohmann::json::array();
  for (const results::RunResults& run : results.runs) {
    const results::CheckpointResults* last = run.last();
    if (last == nullptr) continue;
    for (const store::MetricRow& m : last->metrics) {
      if (m.task != task || !std::isfinite(m.value)) continue;
      const std::string label = m.metric + (m.continuous ? "" : "  (0/1 per example)");
      if (std::find(metric_order.begin(), metric_order.end(), label) == metric_order.end())
        metric_order.push_back(label);
      rows.push_back(
          {{"run", run.row.plan.name},
           {"params", run.row.plan.parameters},
           {"tokens", last->row.tokens_known ? nlohmann::json(last->row.tokens) : nullptr},
           {"budget", budget_label(run)},  // one line per token budget
           {"budget_tokens", run.row.plan.tokens},
           {"step", last->row.step},
           {"final", run.completed()},
           {"metric", label},
           {"value", m.value},
           {"lower", number(m.lower)},
           {"upper", number(m.upper)},
           {"n", m.n},
           {"resolution", m.n > 0 && !m.continuous ? number(1.0 / double(m.n)) : nullptr},
           {"chance", number(m.chance)}});
      if (lines.families)
        rows.back().update({{"family", family_name(run.row.family)},
                            {"shown", lines.families->shown(run.row.family)}});
    }
  }
  return rows;
}

// One small chart per metric (a concat, not a facet: each panel carries only the layers its
// metric has, e.g. a chance line only where the answer space is closed).
nlohmann::json metrics_side_by_side(const nlohmann::json& rows,
                                    const std::vector<std::string>& order, const Lines& lines) {
  nlohmann::json tooltip = {{{"field", "run"}},
                            {{"field", "params"}, {"format", ",d"}},
                            {{"field", "value"}, {"format", ".4f"}},
                            {{"field", "lower"}, {"format", ".4f"}},
                            {{"field", "upper"}, {"format", ".4f"}},
                            {{"field", "n"}},
                            {{"field", "resolution"}, {"format", ".4f"}},
                            {{"field", "chance"}, {"format", ".4f"}}};
  if (lines.families) tooltip.insert(tooltip.begin() + 1, nlohmann::json{{"field", "family"}});
  const nlohmann::json x = count_axis("params", "parameters");
  nlohmann::json panels = nlohmann::json::array();
  for (const std::string& metric : order) {
    nlohmann::json data = nlohmann::json::array();
    bool chance = false, zero_one = false, interval = false;
    for (const auto& r : rows)
      if (r["metric"] == metric) {
        data.push_back(r);
        chance = chance || !r["chance"].is_null();
        zero_one = zero_one || !r["resolution"].is_null();
        interval = interval || !r["lower"].is_null();  // imported scores may come without one
      }
    nlohmann::json layers = {
        {{"params", {hover_param()}},
         {"mark", {{"type", "line"}, {"point", {{"filled", true}, {"size", 60}}}}},
         {"encoding",
          {{"x", x},
           {"y", {{"field", "value"}, {"type", "quantitative"}, {"title", nullptr}}},
           {"opacity", hover_opacity()},
           {"tooltip", tooltip}}}}};
    lines.encode(layers[0]["encoding"]);
    if (interval)
      layers.push_back({{"mark", {{"type", "rule"}}},
                        {"encoding",
                         {{"x", x},
                          {"y", {{"field", "lower"}, {"type", "quantitative"}}},
                          {"y2", {{"field", "upper"}}}}}});
    // A 0/1 metric moves in steps of 1/n: the grey band up to one example's worth marks the
    // scores it cannot tell apart from zero.
    if (zero_one)
      layers.insert(
          layers.begin(),
          nlohmann::json::object(
              {{"transform",
                {{{"filter", "isValid(datum.resolution)"}},
                 {{"aggregate", {{{"op", "max"}, {"field", "resolution"}, {"as", "resolution"}}}}},
                 {{"calculate", "0"}, {"as", "zero"}}}},
               {"mark", {{"type", "rect"}, {"color", "#bbb"}, {"opacity", 0.35}}},
               {"encoding",
                {{"y", {{"field", "zero"}, {"type", "quantitative"}}},
                 {"y2", {{"field", "resolution"}}},
                 {"tooltip",
                  {{{"field", "resolution"},
                    {"format", ".4f"},
                    {"title", "resolution 1/n (one example)"}}}}}}}));
    if (chance)
      layers.push_back(
          {{"transform", {{{"filter", "isValid(datum.chance)"}}}},
           {"mark", {{"type", "rule"}, {"strokeDash", {4, 4}}, {"color", "firebrick"}}},
           {"encoding",
            {{"y", {{"field", "chance"}, {"type", "quantitative"}, {"aggregate", "mean"}}}}}});
    panels.push_back({{"title", metric},
                      {"width", 200},
                      {"height", 150},
                      {"data", {{"values", data}}},
                      {"layer", layers}});
  }
  return chart({{"concat", panels}, {"columns", 3}}, {"x"});
}

// Score against validation loss over every checkpoint of every run, for the given metrics.
nlohmann::json score_against_loss(const results::ResultSet& results, const std::string& task,
                                  const std::vector<std::string>& metrics) {
  nlohmann::json rows = nlohmann::json::array();
  for (const results::RunResults& run : results.runs)
    for (const results::CheckpointResults& c : run.checkpoints)
      for (const store::MetricRow& m : c.metrics)
        if (m.task == task && std::isfinite(m.value) && std::isfinite(c.row.validation_loss) &&
            std::find(metrics.begin(), metrics.end(), m.metric) != metrics.end())
          rows.push_back({{"run", run.row.plan.name},
                          {"params", run.row.plan.parameters},
                          {"step", c.row.step},
                          {"loss", c.row.validation_loss},
                          {"metric", m.metric},
                          {"value", m.value}});
  if (rows.empty()) return nullptr;
  return chart(
      {{"data", {{"values", rows}}},
       {"facet", {{"field", "metric"}, {"type", "nominal"}, {"sort", metrics}, {"title", nullptr}}},
       {"spec",
        {{"width", 300},
         {"height", 200},
         {"params", {hover_param()}},
         {"mark", {{"type", "line"}, {"point", true}}},
         {"encoding",
          {{"x",
            {{"field", "loss"},
             {"type", "quantitative"},
             {"title", "validation loss (falls to the right)"},
             {"scale", {{"reverse", true}, {"zero", false}}}}},
           {"y", {{"field", "value"}, {"type", "quantitative"}, {"title", "score"}}},
           {"color", {{"field", "run"}, {"type", "nominal"}, {"sort", {{"field", "params"}}}}},
           {"order", {{"field", "step"}}},
           {"opacity", hover_opacity()},
           {"tooltip",
            {{{"field", "run"}},
             {{"field", "step"}},
             {{"field", "loss"}, {"format", ".4f"}},
             {{"field", "value"}, {"format", ".4f"}}}}}}}},
       {"resolve", {{"scale", {{"y", "independent"}}}}}});
}

// The mirage check (Schaeffer et al. 2023): were each of an answer's L tokens right with
// probability p independently, exact match would be p^L, sharp in scale while p moves smoothly.
// Observed exact match against p^L from token accuracy, at the last checkpoint of every run.
nlohmann::json mirage_chart(const results::ResultSet& results, const std::string& task,
                            double answer_tokens, std::string& summary) {
  nlohmann::json rows = nlohmann::json::array();
  std::vector<analysis::MirageInput> inputs;
  for (const results::RunResults& run : results.runs) {
    const results::CheckpointResults* last = run.last();
    if (last == nullptr) continue;
    const store::MetricRow *em = nullptr, *accuracy = nullptr;
    for (const store::MetricRow& m : last->metrics)
      if (m.task == task && std::isfinite(m.value)) {
        if (m.metric == "exact_match") em = &m;
        if (m.metric == "token_accuracy") accuracy = &m;
      }
    if (em == nullptr || accuracy == nullptr) continue;
    inputs.push_back({accuracy->value, answer_tokens, em->value, double(em->n)});
    const nlohmann::json base = {{"run", run.row.plan.name},
                                 {"params", run.row.plan.parameters},
                                 {"budget", budget_label(run)},
                                 {"budget_tokens", run.row.plan.tokens},
                                 {"token_accuracy", accuracy->value}};
    nlohmann::json observed = base, predicted = base;
    observed.update({{"kind", "observed"},
                     {"value", em->value},
                     {"lower", number(em->lower)},
                     {"upper", number(em->upper)}});
    predicted.update(
        {{"kind", "p^L from token accuracy"}, {"value", std::pow(accuracy->value, answer_tokens)}});
    rows.push_back(observed);
    rows.push_back(predicted);
  }
  if (inputs.empty()) return nullptr;
  const analysis::MirageCheck check = analysis::mirage_check(inputs);
  double above = 0;  // mean of observed − predicted: which way the tokens' errors lean
  for (const auto& r : check.rows)
    above += (r.observed_exact_match - r.predicted_exact_match) / double(check.rows.size());
  summary = fmt::format(
      "<p><b>Mirage check</b>: with L = {:.2f} answer tokens (the mean, end token included), "
      "p^L from token accuracy differs from the observed exact match by {:.3f} RMS (at most "
      "{:.3f}; observed {} p^L by {:.3f} on average); {:.0f}% of the predictions fall inside the "
      "observation's 95% interval. Where they agree, the exact-match curve is what per-token "
      "accuracy implies, however sharp it looks. Observed above p^L means a model's token errors "
      "come together in the same answers; below, that they are spread over more answers than "
      "independent errors would be.</p>",
      answer_tokens, check.rmse, check.max_abs_error, above >= 0 ? "above" : "below",
      std::abs(above), 100 * check.consistent_fraction);
  const nlohmann::json x = count_axis("params", "parameters");
  const nlohmann::json colour = budget_colour();
  return chart(
      {{"data", {{"values", rows}}},
       {"layer",
        {{{"params", {hover_param()}},
          {"mark", {{"type", "line"}, {"point", true}}},
          {"encoding",
           {{"x", x},
            {"y", {{"field", "value"}, {"type", "quantitative"}, {"title", "exact match"}}},
            {"color", colour},
            {"strokeDash", {{"field", "kind"}, {"type", "nominal"}, {"title", nullptr}}},
            {"detail", {{"field", "kind"}}},
            {"opacity", hover_opacity()},
            {"tooltip",
             {{{"field", "run"}},
              {{"field", "kind"}},
              {{"field", "value"}, {"format", ".4f"}},
              {{"field", "token_accuracy"}, {"format", ".4f"}}}}}}},
         {{"transform", {{{"filter", "datum.kind == 'observed'"}}}},
          {"mark", {{"type", "rule"}}},
          {"encoding",
           {{"x", x},
            {"y", {{"field", "lower"}, {"type", "quantitative"}}},
            {"y2", {{"field", "upper"}}},
            {"color", colour}}}}}}},
      {"x"});
}

}  // namespace

std::vector<nlohmann::json> task_sections(const results::ResultSet& results) {
  std::set<std::string> tasks;
  for (const results::RunResults& run : results.runs)
    for (const results::CheckpointResults& c : run.checkpoints)
      for (const store::MetricRow& m : c.metrics) tasks.insert(m.task);
  std::vector<nlohmann::json> sections;
  if (tasks.empty()) {
    sections.push_back(missing_section(
        "tasks", "Tasks",
        "No evaluated checkpoint is stored yet: task scores appear once a run reaches its first "
        "checkpoint."));
    return sections;
  }
  Lines lines;
  if (results::every_run_imported(results)) lines.families = family_colours(results);
  int index = 0;
  for (const std::string& task : tasks) {
    const std::string id = fmt::format("task-{}", index++);
    std::vector<std::string> order;
    const nlohmann::json rows = final_metric_rows(results, task, lines, order);
    std::set<int64_t> sizes;
    for (const auto& r : rows) sizes.insert(r["params"].get<int64_t>());
    nlohmann::json section = {
        {"id", id},
        {"title", "Task " + task},
        {"text",
         fmt::format(
             "<p>The same {} model sizes, each run at its last checkpoint ({}), under every "
             "metric the evaluation computed, side by side. A metric marked "
             "<i>0/1 per example</i> (exact "
             "match, multiple-choice grade) can only move in steps of 1/n and jumps where the "
             "continuous ones (token accuracy, edit distance, log-probability, Brier) move "
             "smoothly: a sharp rise seen only under the 0/1 metrics is the metric, not the model "
             "(Schaeffer et al. 2023). Bars: 95% bootstrap intervals; dashed red: chance level "
             "where the answer space is closed; grey band on a 0/1 panel: from 0 to 1/n, scores "
             "of at most one example right. Below: score against validation loss over every "
             "checkpoint of every run: if the curves of different sizes fall on one line, the "
             "ability follows the pre-training loss (Du et al. 2024).</p>",
             sizes.size(),
             lines.families ? "one line per model family: the families with the most models "
                              "named, the rest grey"
                            : "one line per token budget")},
        {"charts", nlohmann::json::array()},
        {"tables", nlohmann::json::array()},
        {"missing", nullptr}};
    if (sizes.size() < 2)
      section["text"] = section["text"].get<std::string>() +
                        "<p><b>Only one model size so far</b>: the charts show single points; "
                        "scale trends need at least two sizes.</p>";
    section["charts"].push_back(chart_entry("metrics", "Every metric against model size",
                                            metrics_side_by_side(rows, order, lines),
                                            "Hover a point to see the run, its interval and n."));
    if (const auto length = results.answer_tokens.find(task);
        length != results.answer_tokens.end()) {
      std::string summary;
      const nlohmann::json mirage = mirage_chart(results, task, length->second, summary);
      if (!mirage.is_null()) {
        section["text"] = section["text"].get<std::string>() + summary;
        section["charts"].push_back(chart_entry("mirage", "Exact match against p^L", mirage));
      }
    }
    const nlohmann::json collapse =
        score_against_loss(results, task, {"exact_match", "token_accuracy", "mc_grade"});
    if (!collapse.is_null())
      section["charts"].push_back(chart_entry("loss", "Score against validation loss", collapse));
    sections.push_back(section);
  }
  return sections;
}

}  // namespace emlab::report
