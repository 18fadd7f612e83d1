#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "core/format.hpp"
#include "report/page.hpp"
#include "report/sections.hpp"
#include "report/vega.hpp"

namespace emlab::report {

namespace {
std::string loss_text(double v) {
  return format_number(v, "{:.4f}");
}
}  // namespace

std::string why_no_losses(const results::ResultSet& results, const std::string& usual) {
  if (!results::every_run_imported(results)) return usual;
  return "Every run here is an imported evaluation of a real model (emlab import), and such "
         "files carry no training or validation loss. This section needs losses: our own "
         "training runs, or a long-format CSV with loss rows (docs/csv-format.md) imported "
         "with `emlab import csv`.";
}

void add_left_out(nlohmann::json& section, const std::string& note) {
  if (note.empty()) return;
  const std::string text = section.value("text", std::string());
  section["text"] = text + "<p class=\"left-out\"><b>Left out:</b> " + escape_html(note) + ".</p>";
  section["left_out"].push_back(note);
}

nlohmann::json missing_section(const std::string& id, const std::string& title,
                               const std::string& why) {
  return {{"id", id},
          {"title", title},
          {"text", ""},
          {"charts", nlohmann::json::array()},
          {"tables", nlohmann::json::array()},
          {"missing", why}};
}

namespace {

// The overview of imported evaluations: what such models have (families, sizes, which facts
// are known, the files), not a sweep's steps, losses and run times; the table of the models is
// in the families section, after its charts.
nlohmann::json imported_overview(const results::ResultSet& results) {
  std::set<std::string> families, files;
  size_t tokens_known = 0, flops_known = 0;
  double min_params = INFINITY, max_params = 0;
  for (const results::RunResults& run : results.runs) {
    const store::RunRow& r = run.row;
    families.insert(r.family);
    tokens_known += r.tokens_known;
    flops_known += r.flops_known;
    min_params = std::min(min_params, double(r.plan.parameters));
    max_params = std::max(max_params, double(r.plan.parameters));
    files.insert(run.sources.begin(), run.sources.end());
  }
  const std::string text = fmt::format(
      "<p><b>{}</b> imported models of <b>{}</b> families in <code>{}</code>: evaluations of real "
      "models (emlab import, docs/import.md), from {} to {} parameters. Training tokens are known "
      "for {} of them and FLOPs for {}; the analyses that need a fact a model lacks leave it out "
      "and say so. The scores come from {} file(s). Every model, with its family, size, tokens, "
      "FLOPs and source, is listed at the end of the next section.</p>",
      results.runs.size(), families.size(), escape_html(results.database), human_count(min_params),
      human_count(max_params), tokens_known, flops_known, files.size());
  return {{"id", "overview"},
          {"title", "Overview"},
          {"text", text},
          {"charts", nlohmann::json::array()},
          {"tables", nlohmann::json::array()},
          {"missing", nullptr}};
}

}  // namespace

nlohmann::json overview_section(const results::ResultSet& results) {
  if (results::every_run_imported(results)) return imported_overview(results);
  if (results.runs.empty())
    return missing_section("overview", "Overview",
                           "This database holds no runs yet: run `emlab sweep CONFIG --db " +
                               results.database + "` to plan and train them.");
  int completed = 0, failed = 0, running = 0, planned = 0;
  double flops = 0, seconds = 0, min_params = INFINITY, max_params = 0;
  std::set<std::string> versions;
  nlohmann::json rows = nlohmann::json::array(), failures = nlohmann::json::array();
  for (const results::RunResults& run : results.runs) {
    const store::RunRow& r = run.row;
    completed += r.status == "completed";
    failed += r.status == "failed";
    running += r.status == "running";
    planned += r.status == "planned";
    const results::CheckpointResults* last = run.last();
    if (last != nullptr) flops += last->row.flops;
    seconds += r.train_seconds + r.eval_seconds + r.write_seconds;
    min_params = std::min(min_params, double(r.plan.parameters));
    max_params = std::max(max_params, double(r.plan.parameters));
    if (!r.code_version.empty()) versions.insert(r.code_version);
    rows.push_back({r.plan.name, r.plan.parameters,
                    r.tokens_known ? nlohmann::json(r.plan.tokens) : nlohmann::json(kNoValue),
                    r.flops_known ? fmt::format("{:.3g}", r.plan.flops) : kNoValue, r.status,
                    fmt::format("{}/{}", r.progress_step, r.plan.steps), r.checkpoints_done,
                    loss_text(r.final_loss), loss_text(r.last_validation_loss),
                    fmt::format("{:.1f}", r.train_seconds + r.eval_seconds + r.write_seconds)});
    if (r.status == "failed") failures.push_back({r.plan.name, r.reason});
  }
  std::string text = fmt::format(
      "<p><b>{}</b> runs in <code>{}</code>: {} completed, {} failed, {} running, {} not started. "
      "Models from {} to {} parameters; {} FLOPs of training done so far; {} of run time "
      "(training, evaluation and writing, summed over runs).</p>",
      results.runs.size(), results.database, completed, failed, running, planned,
      human_count(min_params), human_count(max_params), fmt::format("{:.3g}", flops),
      human_duration(seconds));
  if (!versions.empty()) text += fmt::format("<p>Code version: {}.</p>", fmt::join(versions, ", "));
  if (completed == 0)
    text +=
        "<p><b>No run has finished yet</b>: the scaling and task charts below use whatever "
        "checkpoints are stored so far, and the fits wait for finished runs.</p>";
  nlohmann::json tables = nlohmann::json::array();
  tables.push_back({{"title", "Runs"},
                    {"columns",
                     {"run", "parameters", "tokens", "FLOPs (planned)", "status", "step",
                      "checkpoints", "train loss", "val loss", "seconds"}},
                    {"rows", rows}});
  if (!failures.empty())
    tables.push_back(
        {{"title", "Failed runs"}, {"columns", {"run", "reason"}}, {"rows", failures}});
  return {{"id", "overview"}, {"title", "Overview"},
          {"text", text},     {"charts", nlohmann::json::array()},
          {"tables", tables}, {"missing", nullptr}};
}

}  // namespace emlab::report
