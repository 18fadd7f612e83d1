#include "cli/forecast_ladder.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "analysis/json_output.hpp"
#include "analysis/ladder_forecast.hpp"
#include "analysis/missing_facts.hpp"
#include "analysis/task_loss.hpp"
#include "cli/shared_options.hpp"
#include "core/error.hpp"
#include "core/format.hpp"

namespace emlab::cli {
namespace {

using namespace emlab::analysis;

// One checkpoint of one model, as its rows give it: scale, pre-training loss, and each task's
// metrics.
struct Checkpoint {
  LossPoint scale;
  double pretraining_loss = kMissing;
  std::map<std::string, std::map<std::string, double>> metrics;  // task → metric → value
};

std::vector<Checkpoint> checkpoints_of(const MeasurementTable& table) {
  using Key = std::tuple<std::string, double, double>;  // model, tokens, step (NaN kept apart)
  std::map<Key, Checkpoint> by_key;
  std::map<std::string, int> per_model;
  auto key_of = [](const Measurement& m) {
    return Key{m.model, std::isnan(m.tokens) ? -1 : m.tokens, std::isnan(m.step) ? -1 : m.step};
  };
  for (const Measurement& m : table.rows) {
    auto [it, fresh] = by_key.try_emplace(key_of(m));
    Checkpoint& c = it->second;
    if (fresh) {
      c.scale = {m.model, m.params, m.tokens, m.flops, kMissing, m.line};
      ++per_model[m.model];
    }
    if (!std::isnan(m.loss) && (m.is_loss_row() || std::isnan(c.pretraining_loss)))
      c.pretraining_loss = m.loss;
    if (!m.is_loss_row()) c.metrics[m.task][m.metric] = m.value;
  }
  std::vector<Checkpoint> out;
  for (auto& [key, c] : by_key) {
    // A model with several checkpoints (a long CSV may hold them) names each by its tokens.
    if (per_model[c.scale.model] > 1)
      c.scale.model = fmt::format("{} @ {} tokens", c.scale.model, format_number(c.scale.tokens));
    out.push_back(std::move(c));
  }
  return out;
}

// The metric of `wanted` ("auto": the first of `preferred` present) for one task, or "".
std::string pick_metric(const std::set<std::string>& present, const std::string& wanted,
                        const std::vector<std::string>& preferred) {
  if (wanted != "auto") return present.contains(wanted) ? wanted : "";
  for (const std::string& m : preferred)
    if (present.contains(m)) return m;
  return "";
}

std::vector<std::string> loss_metric_names() {
  std::vector<std::string> names;
  for (const TaskLossMetric& m : task_loss_metrics()) names.push_back(m.metric);
  return names;
}

std::string loss_unit(const std::string& metric) {
  if (metric == "pretraining") return "nats per token";
  for (const TaskLossMetric& m : task_loss_metrics())
    if (m.metric == metric) return m.unit;
  return "";
}

// What a metric option asks for, for messages: the name, or under auto the names it tries.
std::string asked_for(const std::string& wanted, const std::vector<std::string>& preferred) {
  return wanted == "auto" ? fmt::format("{}", fmt::join(preferred, ", ")) : wanted;
}

struct TaskLadder {
  std::string task, loss_metric, accuracy_metric;
  std::vector<LadderModel> models;
  std::vector<std::string> without_loss, without_accuracy, without_scale;
};

TaskLadder ladder_models(const std::string& task, const std::vector<Checkpoint>& checkpoints,
                         const LadderForecastOptions& o, bool needs_tokens) {
  TaskLadder t{task, "", "", {}, {}, {}, {}};
  std::set<std::string> present;
  for (const Checkpoint& c : checkpoints)
    if (auto it = c.metrics.find(task); it != c.metrics.end())
      for (const auto& [metric, value] : it->second) present.insert(metric);
  t.loss_metric = o.loss_metric == "pretraining"
                      ? "pretraining"
                      : pick_metric(present, o.loss_metric, loss_metric_names());
  t.accuracy_metric = pick_metric(present, o.accuracy_metric, ladder_accuracy_metrics());
  if (t.loss_metric.empty() || t.accuracy_metric.empty()) return t;
  for (const Checkpoint& c : checkpoints) {
    const auto it = c.metrics.find(task);
    if (it == c.metrics.end()) continue;
    const auto& metrics = it->second;
    const auto accuracy = metrics.find(t.accuracy_metric);
    double loss = kMissing;
    if (t.loss_metric == "pretraining") {
      loss = c.pretraining_loss;
    } else if (const auto l = metrics.find(t.loss_metric); l != metrics.end()) {
      try {
        loss = task_loss_from(t.loss_metric, l->second).value();
      } catch (const Error& e) {
        fail("ladder forecast of {}: model '{}': {}", task, c.scale.model, e.what());
      }
    }
    if (std::isnan(loss)) {
      t.without_loss.push_back(c.scale.model);
    } else if (accuracy == metrics.end() || !std::isfinite(accuracy->second)) {
      t.without_accuracy.push_back(c.scale.model);
    } else if (needs_tokens && (std::isnan(c.scale.tokens) || std::isnan(c.scale.flops))) {
      t.without_scale.push_back(c.scale.model);
    } else {
      LossPoint scale = c.scale;
      scale.loss = loss;
      t.models.push_back({scale, accuracy->second});
    }
  }
  return t;
}

// Chinchilla's law where the ladder models span several token budgets and are enough for its
// five parameters; else a power law (all ladder models trained on one budget, as Pythia's).
std::string choose_form(const TaskLadder& t, const LadderForecastOptions& o, ScaleAxis axis) {
  if (o.form != "auto") return o.form;
  std::set<double> budgets;
  size_t train = 0;
  for (const LadderModel& m : t.models)
    if (axis_value(m.scale, axis) <= o.cutoff) {
      if (std::isnan(m.scale.tokens)) return "power_law";  // a table with holes
      budgets.insert(m.scale.tokens);
      ++train;
    }
  return budgets.size() >= 2 && train >= 6 ? "chinchilla" : "power_law";
}

nlohmann::json print_task(const TaskLadder& t, const LadderForecastOptions& o, nlohmann::json& out,
                          std::vector<double>& errors) {
  const ScaleAxis cutoff_axis = parse_scale_axis(o.cutoff_axis);
  nlohmann::json j = {{"task", t.task}};
  if (t.loss_metric.empty() || t.accuracy_metric.empty()) {
    const std::string why =
        t.loss_metric.empty()
            ? fmt::format("skipped: no task-loss metric ({})",
                          asked_for(o.loss_metric, loss_metric_names()))
            : fmt::format("skipped: no accuracy metric ({})",
                          asked_for(o.accuracy_metric, ladder_accuracy_metrics()));
    fmt::print("\n{}: {}\n", t.task, why);
    j["skipped"] = why;
    return j;
  }
  print_left_out(out, left_out_note("the ladder of " + t.task, "a " + t.loss_metric + " loss",
                                    t.without_loss));
  print_left_out(out,
                 left_out_note("the ladder of " + t.task, t.accuracy_metric, t.without_accuracy));
  print_left_out(
      out, left_out_note("the ladder of " + t.task, "training tokens or FLOPs", t.without_scale));
  LadderOptions lo;
  lo.loss.form = choose_form(t, o, cutoff_axis);
  lo.loss.power_law_axis = parse_scale_axis(o.power_axis);
  lo.loss.bootstrap_resamples = o.bootstrap;
  lo.loss.seed = o.seed;
  lo.loss.level = o.level;
  lo.accuracy.fix_floor = o.chance >= 0;
  lo.accuracy.floor = std::max(o.chance, 0.0);
  const LadderForecast f = forecast_ladder(t.task, t.models, cutoff_axis, o.cutoff, lo);
  const std::string law =
      f.form == "chinchilla" ? "E + A/N^a + B/D^b" : "E + A/" + o.power_axis + "^a";
  fmt::print(
      "\n{}: step 1 {} ({}) of the task loss {} ({}), step 2 {} = sigmoid(task loss){}; fitted on "
      "{} models with {} <= {:.4g}\n",
      t.task, f.form, law, t.loss_metric, loss_unit(t.loss_metric), t.accuracy_metric,
      o.chance >= 0 ? fmt::format(", floor {}", o.chance) : "", f.train_models, o.cutoff_axis,
      o.cutoff);
  const std::string level = fmt::format("{:.0f}%", 100 * o.level);
  fmt::print("  {:<28} {:>9} {:>8} {:<24} {:>8} {:<24} {:>8} {:>8}\n", "model", o.cutoff_axis,
             "loss", "predicted [" + level + "]", "accuracy", "predicted [" + level + "]", "error",
             "step 2");
  nlohmann::json rows = nlohmann::json::array();
  for (const LadderRow& r : f.rows) {
    fmt::print("  {:<28} {:>9.3g} {:>8.4f} {:<24} {:>8.4f} {:<24} {:>+8.4f} {:>+8.4f}\n", r.model,
               r.scale, r.observed_loss,
               format_with_interval(r.predicted_loss, r.loss_interval.lower, r.loss_interval.upper,
                                    "{:.3f}"),
               r.observed_accuracy,
               format_with_interval(r.predicted_accuracy, r.accuracy_interval.lower,
                                    r.accuracy_interval.upper, "{:.3f}"),
               r.accuracy_error, r.accuracy_at_observed_loss - r.observed_accuracy);
    errors.push_back(std::abs(r.accuracy_error));
    rows.push_back({{"model", r.model},
                    {"scale", r.scale},
                    {"observed_loss", r.observed_loss},
                    {"predicted_loss", r.predicted_loss},
                    {"loss_interval", json_interval(r.loss_interval)},
                    {"observed_accuracy", r.observed_accuracy},
                    {"predicted_accuracy", r.predicted_accuracy},
                    {"accuracy_interval", json_interval(r.accuracy_interval)},
                    {"accuracy_error", r.accuracy_error},
                    {"accuracy_at_observed_loss", r.accuracy_at_observed_loss}});
  }
  fmt::print(
      "  mean |accuracy error| {:.4f} (step 2 alone, at the observed loss: {:.4f}); mean |task "
      "loss error| {:.2f}%; observed accuracy inside its interval {:.0f}%\n",
      f.mean_abs_accuracy_error, f.mean_abs_step2_error, 100 * f.mean_abs_rel_loss_error,
      100 * f.accuracy_interval_coverage);
  const SigmoidParams& s = f.loss_to_accuracy;
  j.update(
      {{"loss_metric", t.loss_metric},
       {"loss_unit", loss_unit(t.loss_metric)},
       {"accuracy_metric", t.accuracy_metric},
       {"form", f.form},
       {"train_models", f.train_models},
       {"sigmoid",
        {{"floor", s.floor}, {"ceiling", s.ceiling}, {"midpoint", s.midpoint}, {"slope", s.slope}}},
       {"held_out", rows},
       {"mean_abs_accuracy_error", f.mean_abs_accuracy_error},
       {"mean_abs_step2_error", f.mean_abs_step2_error},
       {"mean_abs_rel_loss_error", f.mean_abs_rel_loss_error},
       {"accuracy_interval_coverage", f.accuracy_interval_coverage}});
  return j;
}

}  // namespace

void run_ladder_forecast(const LadderForecastOptions& o) {
  require(o.cutoff > 0, "--method ladder: give --cutoff, the largest {} of the ladder models (> 0)",
          o.cutoff_axis);
  require(o.form == "auto" || o.form == "chinchilla" || o.form == "power_law",
          "--form: unknown '{}': expected chinchilla, power_law (or leave it out: auto)", o.form);
  const auto names = loss_metric_names();
  require(o.loss_metric == "auto" || o.loss_metric == "pretraining" ||
              std::find(names.begin(), names.end(), o.loss_metric) != names.end(),
          "--loss-metric: unknown '{}': expected auto, pretraining or one of {}", o.loss_metric,
          fmt::join(names, ", "));
  const ScaleAxis cutoff_axis = parse_scale_axis(o.cutoff_axis);
  const bool needs_tokens = o.form == "chinchilla" || cutoff_axis == ScaleAxis::tokens ||
                            cutoff_axis == ScaleAxis::flops ||
                            parse_scale_axis(o.power_axis) != ScaleAxis::params;
  const MeasurementTable table = load_measurements(o.input);
  const std::vector<Checkpoint> checkpoints = checkpoints_of(table);

  std::vector<std::string> tasks = o.tasks;
  std::set<std::string> known;
  for (const Checkpoint& c : checkpoints)
    for (const auto& [task, metrics] : c.metrics) known.insert(task);
  for (const std::string& t : tasks)
    require(known.contains(t), "--tasks: {} has no task '{}' (has: {})", table.source, t,
            fmt::join(known, ", "));
  const bool every_task = tasks.empty();
  if (every_task) tasks.assign(known.begin(), known.end());

  nlohmann::json out = {{"source", table.source}, {"method", "ladder"},
                        {"level", o.level},       {"cutoff_axis", o.cutoff_axis},
                        {"cutoff", o.cutoff},     {"bootstrap", o.bootstrap}};
  fmt::print(
      "Two-step ladder (Bhagia et al. 2024): (N, D) -> task loss -> accuracy, fitted on the "
      "models with {} <= {:.4g}, predicting the larger; {:.0f}% intervals from {} bootstrap "
      "resamples of each step\n",
      o.cutoff_axis, o.cutoff, 100 * o.level, o.bootstrap);
  out["tasks"] = nlohmann::json::array();
  std::vector<double> errors;
  size_t forecast = 0;
  for (const std::string& task : tasks) {
    const TaskLadder t = ladder_models(task, checkpoints, o, needs_tokens);
    // Asked for every task: those without a loss and an accuracy are not ladder tasks; say so
    // once, below, instead of once per task.
    if (every_task && (t.loss_metric.empty() || t.accuracy_metric.empty())) continue;
    out["tasks"].push_back(print_task(t, o, out, errors));
    forecast += !out["tasks"].back().contains("skipped");
  }
  require(!out["tasks"].empty(),
          "{}: no task has both a task loss ({}) and an accuracy ({}): the ladder needs both per "
          "model",
          table.source, asked_for(o.loss_metric, names),
          asked_for(o.accuracy_metric, ladder_accuracy_metrics()));
  if (forecast > 1) {
    double mean = 0;
    for (double e : errors) mean += e / static_cast<double>(errors.size());
    fmt::print("\nmean |accuracy error| over {} tasks and {} held-out predictions: {:.4f}\n",
               forecast, errors.size(), mean);
    out["mean_abs_accuracy_error"] = mean;
  }
  if (!o.json_path.empty()) {
    write_json_file(o.json_path, out, 1);
    fmt::print("\nwrote {}\n", o.json_path);
  }
}

}  // namespace emlab::cli
