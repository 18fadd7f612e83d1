// emlab fit: scaling-law fits (Chinchilla approach 3, power law, Kaplan's joint form), compute-
// optimal and inference-aware allocation, held-out comparison, and emergence measures of every
// task × metric curve. Prints tables (parameter, estimate, 95% interval); --json writes them all.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "analysis/allocation.hpp"
#include "analysis/compute_optimal.hpp"
#include "analysis/emergence_measures.hpp"
#include "analysis/json_output.hpp"
#include "analysis/missing_facts.hpp"
#include "analysis/task_curves.hpp"
#include "analysis/wei_test.hpp"
#include "cli/commands.hpp"
#include "cli/measurement_input.hpp"
#include "cli/shared_options.hpp"
#include "core/error.hpp"
#include "core/format.hpp"
#include "core/threads.hpp"
#include "results/fit_settings.hpp"

namespace emlab::cli {
namespace {

using namespace emlab::analysis;

struct FitOptions {
  MeasurementInput input;
  std::vector<std::string> forms = {"chinchilla"};
  std::string power_axis = "flops";
  bool non_embedding = false;
  int bootstrap = 4000;
  uint64_t seed = 0;
  double level = 0.95;
  int threads = 0;
  std::vector<double> budgets = {1e18, 1e21, 1e24};
  double target_loss = 0;
  double inference_tokens = 0;
  double held_out_fraction = 0.2;
  bool emergence = false;
  std::string curve_axis = "params";
  double chance = 0;
  std::string json_path;
};

std::string show(double v) {
  return format_number(v);
}

void print_row(const std::string& name, const Estimate& e) {
  fmt::print("  {:<20} {:>12}   [{}, {}]\n", name, show(e.value), show(e.interval.lower),
             show(e.interval.upper));
}

void print_header(const std::string& title, double level) {
  fmt::print("\n{}\n  {:<20} {:>12}   {:.0f}% interval\n", title, "parameter", "estimate",
             100 * level);
}

void run_fit(const FitOptions& o) {
  set_thread_count(o.threads);
  const auto table = load_measurements(o.input);
  nlohmann::json out = {{"source", table.source}, {"level", o.level}, {"seed", o.seed}};
  auto wants = [&](const std::string& form) {
    for (const auto& f : o.forms)
      if (f == form || f == "all") return true;
    return false;
  };
  for (const auto& f : o.forms)
    require(f == "chinchilla" || f == "power" || f == "kaplan" || f == "compare" || f == "all",
            "--form: unknown form '{}': expected chinchilla, power, kaplan, compare or all", f);

  const bool has_loss_rows = std::any_of(table.rows.begin(), table.rows.end(),
                                         [](const auto& m) { return m.is_loss_row(); });
  // Evaluations of real model families (emlab import) carry no losses: their task curves can
  // still be judged.
  require(has_loss_rows || o.emergence,
          "{}: no loss rows (rows with a blank 'task' and a 'loss' value), so no scaling law to "
          "fit; imported evaluations carry none: judge their task curves with --emergence "
          "--curve-axis params",
          table.source);
  if (!has_loss_rows)
    fmt::print("{}: no loss rows: the scaling-law fits are skipped\n", table.source);
  const auto fits = [&](const std::string& form) { return has_loss_rows && wants(form); };
  const bool any_loss_fit =
      fits("chinchilla") || fits("power") || fits("kaplan") || fits("compare");
  std::vector<LossPoint> points;
  if (any_loss_fit) {
    print_left_out(out, left_out_note("the scaling-law fits", "training tokens or FLOPs",
                                      models_without_tokens_or_flops(table)));
    points = loss_points(table, o.non_embedding);
    fmt::print("{}: {} loss points; N counts {} parameters\n", table.source, points.size(),
               o.non_embedding ? "non-embedding" : "all");
  }

  if (fits("chinchilla")) {
    const auto fit = fit_chinchilla(points, results::full_chinchilla(o.bootstrap, o.seed, o.level));
    print_header(fmt::format("Chinchilla L(N,D) = E + A/N^alpha + B/D^beta  ({} starts, {} "
                             "bootstrap refits, objective {:.6g}, {:.2f}s + {:.2f}s)",
                             fit.starts, fit.bootstrap.size(), fit.objective, fit.seconds_grid,
                             fit.seconds_bootstrap),
                 o.level);
    print_row("E", fit.E);
    print_row("A", fit.A);
    print_row("B", fit.B);
    print_row("alpha", fit.alpha);
    print_row("beta", fit.beta);
    print_row("N_opt exponent b/(a+b)", params_exponent(fit, o.level));
    auto j = to_json(fit);
    j["params_exponent"] = to_json(params_exponent(fit, o.level));
    print_header("Compute-optimal allocation (C = 6ND)", o.level);
    j["compute_optimal"] = nlohmann::json::array();
    for (double c : o.budgets) {
      const auto e = compute_optimal_estimate(fit, c, o.level);
      print_row(fmt::format("N_opt(C={:.0e})", c), e.params);
      print_row(fmt::format("D_opt(C={:.0e})", c), e.tokens);
      print_row("tokens/param", e.tokens_per_param);
      j["compute_optimal"].push_back(to_json(e));
    }
    if (o.target_loss > 0) {
      const auto a = inference_aware_estimate(fit, o.target_loss, o.inference_tokens, o.level);
      print_header(fmt::format("Inference-aware allocation (Sardana & Frankle): loss {}, {:.3g} "
                               "inference tokens",
                               o.target_loss, o.inference_tokens),
                   o.level);
      print_row("N", a.params);
      print_row("D_train", a.train_tokens);
      print_row("total FLOPs", a.total_flops);
      fmt::print(
          "  Chinchilla-optimal at the same loss: N {} D {}; {} of {} refits cannot reach "
          "the loss\n",
          show(a.chinchilla.params), show(a.chinchilla.train_tokens), a.unreachable_resamples,
          fit.bootstrap.size());
      j["inference_aware"] = to_json(a);
    }
    out["chinchilla"] = j;
  }
  if (fits("power")) {
    const auto axis = parse_scale_axis(o.power_axis);
    std::vector<double> x, l;
    for (const auto& p : points) {
      x.push_back(axis_value(p, axis));
      l.push_back(p.loss);
    }
    PowerLawOptions po;
    po.bootstrap_resamples = o.bootstrap;
    po.seed = o.seed;
    po.level = o.level;
    const auto fit = fit_power_law(x, l, po);
    print_header(fmt::format("Power law L({0}) = E + A*{0}^-alpha  (objective {1:.6g})",
                             axis_name(axis), fit.objective),
                 o.level);
    print_row("E", fit.E);
    print_row("A", fit.A);
    print_row("alpha", fit.alpha);
    out["power_law"] = to_json(fit);
    out["power_law"]["axis"] = axis_name(axis);
  }
  if (fits("kaplan")) {
    KaplanOptions ko;
    ko.bootstrap_resamples = std::min(o.bootstrap, 1000);
    ko.seed = o.seed;
    ko.level = o.level;
    const auto fit = fit_kaplan(points, ko);
    print_header(fmt::format("Kaplan L(N,D) = [(N_c/N)^(aN/aD) + D_c/D]^aD  (objective {:.6g}, "
                             "{} refits)",
                             fit.objective, fit.bootstrap.size()),
                 o.level);
    print_row("N_c", fit.n_c);
    print_row("D_c", fit.d_c);
    print_row("alpha_N", fit.alpha_n);
    print_row("alpha_D", fit.alpha_d);
    out["kaplan"] = to_json(fit);
  }
  if (fits("compare")) {
    const auto held_out = hold_out_largest(points, ScaleAxis::flops, 1 - o.held_out_fraction);
    const auto scores = compare_on_held_out(points, held_out);
    fmt::print(
        "\nHeld-out comparison (largest {:.0f}% of compute held out)\n  {:<16} {:>6} {:>6} "
        "{:>12} {:>12} {:>12}\n",
        100 * o.held_out_fraction, "form", "train", "test", "RMSE log L", "mean |rel|",
        "max |rel|");
    out["held_out_comparison"] = nlohmann::json::array();
    for (const auto& s : scores) {
      fmt::print("  {:<16} {:>6} {:>6} {:>12.4g} {:>12.4g} {:>12.4g}\n", s.form, s.train_points,
                 s.test_points, s.rmse_log, s.mean_abs_rel_error, s.max_abs_rel_error);
      out["held_out_comparison"].push_back(to_json(s));
    }
  }
  if (o.emergence) {
    const ScaleAxis axis = parse_scale_axis(o.curve_axis);
    print_left_out(out, left_out_note("the curves over " + o.curve_axis, missing_fact_name(axis),
                                      models_without(table, axis)));
    const auto curves = task_curves(table, axis);
    require(!curves.empty(), "{}: --emergence needs task rows (a non-blank 'task' column)",
            table.source);
    std::vector<LabelledCurve> labelled;
    for (const auto& c : curves) labelled.push_back({c.label(), o.chance, c.points});
    const bool testable = [&] {
      for (const auto& c : curves)
        for (const auto& p : c.points)
          if (p.stderr_value < 0 && p.n <= 0) return false;
      return true;
    }();
    std::vector<WeiTestResult> tests;
    if (testable) tests = wei_emergence_test(labelled, 1 - o.level);
    fmt::print("\nEmergence over {} (chance {}){}\n  {:<44} {:>5} {:>9} {:>9}  {}\n", o.curve_axis,
               o.chance, testable ? "" : "; Wei test needs stderr or n per row", "task / metric",
               "pts", "B", "L", "Wei test (Holm-adjusted p)");
    out["emergence"] = nlohmann::json::array();
    for (size_t i = 0; i < curves.size(); ++i) {
      const auto values = curves[i].values();
      const double b = values.size() >= 2 ? breakthroughness(values) : NAN;
      const double l = values.size() >= 2 ? linearity(values) : NAN;
      std::string verdict = kNoValue;
      nlohmann::json j = {
          {"curve", curves[i].label()},
          {"points", values.size()},
          {"breakthroughness",
           std::isfinite(b) ? nlohmann::json(b) : nlohmann::json(std::isinf(b) ? "inf" : "nan")},
          {"linearity", std::isfinite(l) ? nlohmann::json(l) : nlohmann::json()}};
      if (testable) {
        const auto& t = tests[i];
        verdict = fmt::format("{} (p {:.3g})", t.verdict, t.adjusted_p);
        j["wei_test"] = {{"verdict", t.verdict},
                         {"emergent", t.emergent},
                         {"threshold_x", t.threshold_index >= 0 ? nlohmann::json(t.threshold_x)
                                                                : nlohmann::json()},
                         {"p_value", t.p_value},
                         {"holm_adjusted_p", t.adjusted_p}};
      }
      fmt::print("  {:<44} {:>5} {:>9} {:>9}  {}\n", curves[i].label(), values.size(), show(b),
                 show(l), verdict);
      out["emergence"].push_back(j);
    }
  }
  if (!o.json_path.empty()) {
    write_json_file(o.json_path, out, 1);
    fmt::print("\nwrote {}\n", o.json_path);
  }
}

}  // namespace

void register_fit(CLI::App& app) {
  auto options = std::make_shared<FitOptions>();
  auto* cmd = app.add_subcommand("fit", "Fit scaling laws and emergence measures to measurements");
  add_measurement_input_options(cmd, options->input);
  cmd->add_option("--form", options->forms, "chinchilla, power, kaplan, compare, all")
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_option("--axis", options->power_axis, "scale of the power law: params, tokens, flops")
      ->capture_default_str();
  cmd->add_flag("--non-embedding", options->non_embedding,
                "count N without embeddings (Kaplan's convention)");
  cmd->add_option("--bootstrap", options->bootstrap, "bootstrap resamples")->capture_default_str();
  cmd->add_option("--seed", options->seed, "bootstrap seed")->capture_default_str();
  cmd->add_option("--level", options->level, "interval level")->capture_default_str();
  cmd->add_option("--threads", options->threads, "threads (0: all cores)")->capture_default_str();
  cmd->add_option("--compute", options->budgets, "compute budgets (FLOPs) for N_opt, D_opt")
      ->delimiter(',');
  cmd->add_option("--target-loss", options->target_loss,
                  "target loss for inference-aware allocation");
  cmd->add_option("--inference-tokens", options->inference_tokens,
                  "lifetime inference tokens for inference-aware allocation");
  cmd->add_option("--held-out", options->held_out_fraction,
                  "share of points (largest compute) held out by --form compare")
      ->capture_default_str();
  cmd->add_flag("--emergence", options->emergence,
                "breakthroughness, linearity and the Wei test of every task x metric curve");
  cmd->add_option("--curve-axis", options->curve_axis, "params, tokens, flops or loss")
      ->capture_default_str();
  cmd->add_option("--chance", options->chance, "chance level of the task metrics")
      ->capture_default_str();
  cmd->add_option("--json", options->json_path, "write every result as JSON to FILE");
  cmd->callback([options] { run_fit(*options); });
}

}  // namespace emlab::cli
