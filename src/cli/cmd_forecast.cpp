// emlab forecast: fit on the smaller models only, predict the larger ones (their loss, and where
// each ability crosses a chosen level), and report the error against what was observed.
#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "analysis/forecast.hpp"
#include "analysis/json_output.hpp"
#include "analysis/missing_facts.hpp"
#include "analysis/task_curves.hpp"
#include "cli/commands.hpp"
#include "cli/forecast_ladder.hpp"
#include "cli/forecast_observational.hpp"
#include "cli/measurement_input.hpp"
#include "cli/shared_options.hpp"
#include "core/error.hpp"
#include "core/format.hpp"
#include "core/threads.hpp"

namespace emlab::cli {
namespace {

using namespace emlab::analysis;

struct ForecastOptions {
  std::string method = "curve";
  MeasurementInput input;
  std::string form = "chinchilla";
  std::string cutoff_axis = "params";
  double cutoff = 0;
  std::string power_axis = "flops";
  bool non_embedding = false;
  int bootstrap = 1000;
  uint64_t seed = 0;
  double level = 0.95;
  int threads = 0;
  bool abilities = false;
  std::string curve_axis = "params";
  double ability_level = 0.5;
  double ability_cutoff = 0;  // on the curve axis; 0: the loss cutoff when the axes agree
  double chance = -1;
  std::string json_path;
  // --method observational
  std::vector<std::string> capability_tasks, target_tasks;
  size_t components = 3;
  double capability_quantile = -1;
  // --method ladder
  std::string loss_metric = "auto", accuracy_metric = "auto";
  bool cutoff_axis_given = false, bootstrap_given = false, form_given = false, axis_given = false;
};

std::string show(double v) {
  return format_number(v);
}

void run_observational(const ForecastOptions& o) {
  require(o.input.csv.empty() && o.input.gadre_scaling.empty(),
          "--method observational reads a results database of imported models, not --csv or "
          "--gadre");
  require(!o.cutoff_axis_given || o.cutoff_axis == "flops",
          "--method observational: --cutoff is in training FLOPs (or give --capability-quantile); "
          "--cutoff-axis {} does not apply",
          o.cutoff_axis);
  ObservationalForecastOptions obs;
  obs.database = o.input.database;
  obs.capability_tasks = o.capability_tasks;
  obs.target_tasks = o.target_tasks;
  obs.components = o.components;
  obs.cutoff_flops = o.cutoff;
  obs.capability_quantile = o.capability_quantile;
  if (o.bootstrap_given) obs.bootstrap = o.bootstrap;
  obs.seed = o.seed;
  obs.level = o.level;
  obs.json_path = o.json_path;
  run_observational_forecast(obs);
}

void run_ladder(const ForecastOptions& o) {
  require(o.capability_tasks.empty() && o.capability_quantile < 0,
          "--capability-tasks and --capability-quantile belong to --method observational");
  LadderForecastOptions lo;
  lo.input = o.input;
  lo.tasks = o.target_tasks;
  lo.loss_metric = o.loss_metric;
  lo.accuracy_metric = o.accuracy_metric;
  if (o.form_given) lo.form = o.form;
  if (o.axis_given) lo.power_axis = o.power_axis;
  lo.cutoff_axis = o.cutoff_axis;
  lo.cutoff = o.cutoff;
  lo.chance = o.chance;
  if (o.bootstrap_given) lo.bootstrap = o.bootstrap;
  lo.seed = o.seed;
  lo.level = o.level;
  lo.json_path = o.json_path;
  run_ladder_forecast(lo);
}

void run_forecast(const ForecastOptions& o) {
  set_thread_count(o.threads);
  if (o.method == "observational") return run_observational(o);
  if (o.method == "ladder") return run_ladder(o);
  require(o.method == "curve", "--method: unknown '{}': expected curve, observational or ladder",
          o.method);
  require(o.capability_tasks.empty() && o.target_tasks.empty() && o.capability_quantile < 0,
          "--capability-tasks, --tasks and --capability-quantile belong to --method "
          "observational (and --tasks to ladder)");
  require(o.loss_metric == "auto" && o.accuracy_metric == "auto",
          "--loss-metric and --accuracy-metric belong to --method ladder");
  const auto table = load_measurements(o.input);
  nlohmann::json out = {{"source", table.source}, {"level", o.level}};
  const auto cutoff_axis = parse_scale_axis(o.cutoff_axis);
  require(o.cutoff > 0, "--cutoff: give the largest {} used for fitting (> 0)", o.cutoff_axis);

  bool has_loss_rows = false;
  for (const auto& m : table.rows) has_loss_rows |= m.is_loss_row();
  require(has_loss_rows || o.abilities,
          "{}: no loss rows, so no loss to forecast; imported evaluations carry none: forecast "
          "their scores with --abilities --curve-axis params",
          table.source);
  if (has_loss_rows) {
    LossForecastOptions lo;
    lo.form = o.form;
    lo.power_law_axis = parse_scale_axis(o.power_axis);
    lo.bootstrap_resamples = o.bootstrap;
    lo.seed = o.seed;
    lo.level = o.level;
    print_left_out(out, left_out_note("the loss forecast", "training tokens or FLOPs",
                                      models_without_tokens_or_flops(table)));
    const auto f = forecast_loss(loss_points(table, o.non_embedding), cutoff_axis, o.cutoff, lo);
    fmt::print("Loss forecast: {} fitted on {} points with {} <= {:.4g}, predicting {} larger\n",
               f.form, f.train_points, o.cutoff_axis, o.cutoff, f.rows.size());
    fmt::print("  {:<36} {:>10} {:>9} {:>9} {:>22} {:>9}\n", "model", o.cutoff_axis, "observed",
               "predicted", fmt::format("{:.0f}% interval", 100 * o.level), "rel.err");
    for (const auto& r : f.rows)
      fmt::print("  {:<36} {:>10.4g} {:>9.4f} {:>9.4f} {:>22} {:>+8.2f}%\n", r.model, r.scale,
                 r.observed, r.predicted,
                 fmt::format("[{}, {}]", show(r.interval.lower), show(r.interval.upper)),
                 100 * r.relative_error);
    fmt::print("  mean |rel. error| {:.2f}%, max {:.2f}%, observed inside interval {:.0f}%\n",
               100 * f.mean_abs_rel_error, 100 * f.max_abs_rel_error, 100 * f.interval_coverage);
    out["loss"] = to_json(f);
  }

  if (o.abilities) {
    const auto axis = parse_scale_axis(o.curve_axis);
    const bool over_loss = axis == ScaleAxis::loss;
    double cutoff = o.ability_cutoff;
    if (cutoff <= 0) {
      require(axis == cutoff_axis,
              "--ability-cutoff: give the cutoff on the curve axis ({}), which differs from "
              "--cutoff-axis ({})",
              o.curve_axis, o.cutoff_axis);
      cutoff = o.cutoff;
    }
    print_left_out(out, left_out_note("the ability forecasts over " + o.curve_axis,
                                      missing_fact_name(axis), models_without(table, axis)));
    out["abilities"] = nlohmann::json::array();
    fmt::print("\nAbility forecasts: crossing of {} over {} (fit on {} {} {:.4g})\n",
               o.ability_level, over_loss ? "loss" : "log10 " + o.curve_axis, o.curve_axis,
               over_loss ? ">=" : "<=", cutoff);
    fmt::print("  {:<44} {:>6} {:>10} {:>22} {:>10} {:>9}\n", "task / metric", "train", "predicted",
               fmt::format("{:.0f}% interval", 100 * o.level), "observed", "error");
    for (const auto& c : task_curves(table, axis)) {
      std::vector<double> x, y;
      for (const auto& p : c.points) {
        x.push_back(over_loss ? p.x : std::log10(p.x));
        y.push_back(p.value);
      }
      const double x_cutoff = over_loss ? cutoff : std::log10(cutoff);
      size_t train = 0;
      for (double v : x) train += over_loss ? v >= x_cutoff : v <= x_cutoff;
      if (train < 5 || train == x.size()) {
        fmt::print("  {:<44} {:>6} skipped: needs >= 5 points to fit and >= 1 beyond the cutoff\n",
                   c.label(), train);
        continue;
      }
      SigmoidOptions so;
      so.fix_floor = o.chance >= 0;
      so.floor = std::max(o.chance, 0.0);
      so.bootstrap_resamples = o.bootstrap;
      so.seed = o.seed;
      so.level = o.level;
      const auto f = forecast_ability(c.label(), x, y, over_loss, x_cutoff, o.ability_level, so);
      fmt::print("  {:<44} {:>6} {:>10} {:>22} {:>10} {:>9}\n", c.label(), f.train_points,
                 show(f.predicted_crossing),
                 fmt::format("[{}, {}]", show(f.predicted_interval.lower),
                             show(f.predicted_interval.upper)),
                 show(f.observed_crossing), show(f.crossing_error));
      out["abilities"].push_back(to_json(f));
    }
  }
  if (!o.json_path.empty()) {
    write_json_file(o.json_path, out, 1);
    fmt::print("\nwrote {}\n", o.json_path);
  }
}

}  // namespace

void register_forecast(CLI::App& app) {
  auto options = std::make_shared<ForecastOptions>();
  auto* cmd = app.add_subcommand(
      "forecast", "Fit on smaller models only, predict the larger ones, report the error");
  add_measurement_input_options(cmd, options->input);
  cmd->add_option("--form", options->form,
                  "chinchilla or power_law (ladder: chosen from the ladder models unless given)")
      ->capture_default_str();
  cmd->add_option("--cutoff-axis", options->cutoff_axis, "params, tokens or flops")
      ->capture_default_str();
  cmd->add_option("--method", options->method,
                  "curve: a sigmoid over --curve-axis; observational: over the principal "
                  "components of standard benchmark scores (Ruan et al. 2024); ladder: (N, D) -> "
                  "task loss -> accuracy (Bhagia et al. 2024)")
      ->capture_default_str();
  cmd->add_option("--cutoff", options->cutoff,
                  "largest value on the cutoff axis used for fitting (observational: training "
                  "FLOPs)");
  cmd->add_option("--axis", options->power_axis, "scale of the power law form")
      ->capture_default_str();
  cmd->add_flag("--non-embedding", options->non_embedding, "count N without embeddings");
  cmd->add_option("--bootstrap", options->bootstrap,
                  "bootstrap resamples (--method observational and ladder: 200 unless given)")
      ->capture_default_str();
  cmd->add_option("--seed", options->seed, "bootstrap seed")->capture_default_str();
  cmd->add_option("--level", options->level, "interval level")->capture_default_str();
  cmd->add_option("--threads", options->threads, "threads (0: all cores)")->capture_default_str();
  cmd->add_flag("--abilities", options->abilities, "also forecast each task x metric curve");
  cmd->add_option("--curve-axis", options->curve_axis, "params, tokens, flops or loss")
      ->capture_default_str();
  cmd->add_option("--ability-level", options->ability_level, "level whose crossing is forecast")
      ->capture_default_str();
  cmd->add_option("--ability-cutoff", options->ability_cutoff,
                  "cutoff on the curve axis (default: --cutoff when the axes agree)");
  cmd->add_option("--chance", options->chance, "fix the sigmoid floor at this chance level");
  cmd->add_option("--json", options->json_path, "write the results as JSON to FILE");
  cmd->add_option("--capability-tasks", options->capability_tasks,
                  "observational: the benchmarks spanning the capability space (task or "
                  "task:metric, comma-separated)")
      ->delimiter(',');
  cmd->add_option("--tasks", options->target_tasks,
                  "observational: the tasks to forecast (default: every other task scored as a "
                  "proportion); ladder: the tasks (default: every task with a task loss and an "
                  "accuracy)")
      ->delimiter(',');
  cmd->add_option("--loss-metric", options->loss_metric,
                  "ladder: the task loss (target_logprob, ppl, bits_per_byte...; pretraining: "
                  "the checkpoint's own loss)")
      ->capture_default_str();
  cmd->add_option("--accuracy-metric", options->accuracy_metric,
                  "ladder: the accuracy predicted (exact_match, acc, mc_grade...)")
      ->capture_default_str();
  cmd->add_option("--components", options->components,
                  "observational: principal components in the capability measure")
      ->capture_default_str();
  cmd->add_option("--capability-quantile", options->capability_quantile,
                  "observational: fit on the models whose first component is at or below this "
                  "quantile (instead of --cutoff)");
  cmd->callback([cmd, options] {
    options->cutoff_axis_given = cmd->count("--cutoff-axis") > 0;
    options->bootstrap_given = cmd->count("--bootstrap") > 0;
    options->form_given = cmd->count("--form") > 0;
    options->axis_given = cmd->count("--axis") > 0;
    run_forecast(*options);
  });
}

}  // namespace emlab::cli
