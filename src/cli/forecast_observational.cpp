#include "cli/forecast_observational.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "analysis/family_efficiency.hpp"
#include "analysis/json_output.hpp"
#include "analysis/observational_backtest.hpp"
#include "cli/shared_options.hpp"
#include "core/error.hpp"
#include "core/format.hpp"
#include "results/capability_scores.hpp"
#include "results/result_set.hpp"
#include "store/database.hpp"

namespace emlab::cli {
namespace {

using namespace emlab::analysis;

std::string interval_text(const analysis::Estimate& e, const char* spec = "{:.3f}") {
  return format_with_interval(e.value, e.interval.lower, e.interval.upper, spec);
}

nlohmann::json estimate_json(const Estimate& e) {
  return {{"value", json_number(e.value)},
          {"lower", json_number(e.interval.lower)},
          {"upper", json_number(e.interval.upper)}};
}

// The principal components of every model with all capability scores: the capability space.
nlohmann::json print_capability_space(const CapabilityTable& table, nlohmann::json& out) {
  for (const std::string& note : capability_left_out_notes(table, "the capability space", false))
    print_left_out(out, note);
  const auto rows = capability_rows(complete_models(table, false));
  const PrincipalComponents pc = principal_components(rows);
  fmt::print(
      "Capability space: principal components of {} over {} models (scores centred, not "
      "standardised)\n",
      fmt::join(table.capability_tasks, ", "), rows.size());
  fmt::print("  {:<10} {:>9}", "component", "variance");
  for (const std::string& t : table.capability_tasks) fmt::print(" {:>11}", t.substr(0, 11));
  fmt::print("\n");
  for (size_t c = 0; c < pc.loadings.size(); ++c) {
    fmt::print("  PC{:<8} {:>8.1f}%", c + 1, 100 * pc.variance_share[c]);
    for (double w : pc.loadings[c]) fmt::print(" {:>+11.3f}", w);
    fmt::print("\n");
  }
  return {{"tasks", table.capability_tasks},
          {"models", rows.size()},
          {"variance_share", pc.variance_share},
          {"loadings", pc.loadings}};
}

// PC1 of every model with FLOPs against log10 FLOPs: one slope, one offset per family.
nlohmann::json print_efficiency(const CapabilityTable& table, nlohmann::json& out) {
  for (const std::string& note :
       capability_left_out_notes(table, "the family compute efficiency", true))
    print_left_out(out, note);
  const FamilyEfficiency e = family_efficiency(table);
  const FamilyOffset* reference = &e.largest_family();
  fmt::print(
      "\nFamily compute efficiency: PC1 = {:.4f}·log10(FLOPs) + offset of the family ({} "
      "models, {} families; residual s.d. {:.3f})\n",
      e.slope, e.models, e.offsets.size(), e.residual_sd);
  size_t width = 6;
  for (const FamilyOffset& f : e.offsets) width = std::max(width, f.family.size());
  fmt::print("  {:<{}} {:>6} {:>9}  compute vs {}\n", "family", width, "models", "offset",
             reference->family);
  nlohmann::json offsets = nlohmann::json::array();
  for (const FamilyOffset& f : e.offsets) {
    const double ratio = e.compute_ratio(f.family, reference->family);
    fmt::print("  {:<{}} {:>6} {:>+9.3f}  {:.3g}x\n", f.family, width, f.models, f.offset, ratio);
    offsets.push_back({{"family", f.family},
                       {"models", f.models},
                       {"offset", f.offset},
                       {"compute_ratio", ratio}});
  }
  fmt::print(
      "  (compute vs {}: how many times its compute a family needs for the same "
      "capability; one-model families are placed by that model alone)\n",
      reference->family);
  return {{"slope", e.slope},
          {"residual_sd", json_number(e.residual_sd)},
          {"reference_family", reference->family},
          {"offsets", offsets}};
}

nlohmann::json print_backtest(const CapabilityTable& table, const ObservationalForecastOptions& o,
                              nlohmann::json& out) {
  ObservationalOptions bo;
  bo.components = o.components;
  bo.cutoff_flops = o.cutoff_flops;
  if (o.capability_quantile >= 0) bo.capability_quantile = o.capability_quantile;
  bo.bootstrap_resamples = o.bootstrap;
  bo.seed = o.seed;
  bo.level = o.level;
  const ObservationalBacktest b = observational_backtest(table, bo);
  for (const std::string& note : b.left_out) print_left_out(out, note);
  fmt::print(
      "\nBacktest (Ruan et al.): fitted on {} models with {}, predicting the {} above; "
      "observational: a sigmoid of the first {} component(s) of the training models' scores; "
      "compute-only: a sigmoid in log10 FLOPs; floor at chance where known; mean absolute error "
      "over the held-out models, {:.0f}% intervals from {} bootstrap resamples of the models\n",
      b.train_models, b.split, b.test_models, b.components, 100 * o.level, o.bootstrap);
  fmt::print("  {:<22} {:>5} {:>5} {:>6}  {:<26} {:<26} {}\n", "task", "train", "test", "chance",
             "observational", "compute-only", "difference");
  nlohmann::json tasks = nlohmann::json::array();
  for (const TaskBacktest& t : b.tasks) {
    const std::string chance = std::isfinite(t.chance) ? fmt::format("{:.3g}", t.chance) : "-";
    nlohmann::json j = {
        {"task", t.task}, {"train", t.train}, {"test", t.test}, {"chance", json_number(t.chance)}};
    if (!t.skipped.empty()) {
      fmt::print("  {:<22} {:>5} {:>5} {:>6}  skipped: {}\n", t.task, t.train, t.test, chance,
                 t.skipped);
      j["skipped"] = t.skipped;
      tasks.push_back(j);
      continue;
    }
    fmt::print("  {:<22} {:>5} {:>5} {:>6}  {:<26} {:<26} {}\n", t.task, t.train, t.test, chance,
               interval_text(t.observational_error), interval_text(t.compute_error),
               interval_text(t.difference, "{:+.3f}"));
    j["observational_error"] = estimate_json(t.observational_error);
    j["compute_error"] = estimate_json(t.compute_error);
    j["difference"] = estimate_json(t.difference);
    j["observational_fit"] = {{"weights", t.observational_fit.weights},
                              {"bias", t.observational_fit.bias},
                              {"floor", t.observational_fit.floor},
                              {"ceiling", t.observational_fit.ceiling}};
    j["compute_fit"] = {{"floor", t.compute_fit.floor},
                        {"ceiling", t.compute_fit.ceiling},
                        {"midpoint_log10_flops", t.compute_fit.midpoint},
                        {"slope", t.compute_fit.slope}};
    j["held_out"] = nlohmann::json::array();
    for (const HeldOutPrediction& p : t.held_out)
      j["held_out"].push_back({{"model", p.model},
                               {"family", p.family},
                               {"flops", p.flops},
                               {"pc1", p.capability},
                               {"observed", p.observed},
                               {"observational", p.observational},
                               {"compute", p.compute}});
    tasks.push_back(j);
  }
  if (b.fitted_tasks > 0)
    fmt::print("  {:<36}  {:<26} {:<26} {}\n", fmt::format("mean over {} tasks", b.fitted_tasks),
               interval_text(b.observational_error), interval_text(b.compute_error),
               interval_text(b.difference, "{:+.3f}"));
  fmt::print(
      "  fitting took {:.2f} s for the observational forecast and {:.2f} s for the "
      "compute-only one (the full fits and every refit, summed over threads)\n",
      b.observational_seconds, b.compute_seconds);
  return {{"split", b.split},
          {"observational_seconds", b.observational_seconds},
          {"compute_seconds", b.compute_seconds},
          {"train_models", b.train_models},
          {"test_models", b.test_models},
          {"components", b.components},
          {"bootstrap", o.bootstrap},
          {"tasks", tasks},
          {"observational_error", estimate_json(b.observational_error)},
          {"compute_error", estimate_json(b.compute_error)},
          {"difference", estimate_json(b.difference)}};
}

}  // namespace

void run_observational_forecast(const ObservationalForecastOptions& o) {
  require(!o.database.empty(),
          "--method observational reads a results database of imported models (emlab import): "
          "give DB");
  require(!o.capability_tasks.empty(),
          "--method observational: name the benchmarks that span the capability space with "
          "--capability-tasks (e.g. arc,hellaswag,mmlu,truthfulqa,winogrande)");
  require((o.cutoff_flops > 0) != (o.capability_quantile >= 0),
          "--method observational: give --cutoff FLOPS (fit on the models with training FLOPs "
          "<= it) or --capability-quantile Q (on the first component), one of them");
  store::Database db(o.database, store::Database::Mode::kReadOnly);
  const results::ResultSet results = results::load_results(db);
  const auto capability = results::choose_tasks(results, o.capability_tasks);
  const auto targets = o.target_tasks.empty() ? results::other_tasks(results, capability)
                                              : results::choose_tasks(results, o.target_tasks);
  require(!targets.empty(), "{}: no target task: every task with scores is a capability task",
          o.database);
  for (const auto& t : targets)
    for (const auto& c : capability)
      require(t.task != c.task || t.metric != c.metric, "--tasks: '{}' is also a capability task",
              t.label);
  const CapabilityTable table = results::capability_table(results, capability, targets);

  nlohmann::json out = {{"source", o.database}, {"method", "observational"}, {"level", o.level}};
  out["capability_space"] = print_capability_space(table, out);
  out["efficiency"] = print_efficiency(table, out);
  out["backtest"] = print_backtest(table, o, out);
  if (!o.json_path.empty()) {
    write_json_file(o.json_path, out, 1);
    fmt::print("\nwrote {}\n", o.json_path);
  }
}

}  // namespace emlab::cli
