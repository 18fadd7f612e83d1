// emlab eval: a checkpoint on the held-out examples of one or more tasks, every metric at once.
#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/shared_options.hpp"
#include "core/error.hpp"
#include "core/threads.hpp"
#include "eval/evaluator.hpp"
#include "eval/report.hpp"
#include "eval/task_summary.hpp"
#include "tasks/factory.hpp"
#include "train/checkpoint.hpp"

namespace emlab::cli {

namespace {

struct EvalCommandOptions {
  std::string checkpoint;
  std::vector<std::string> tasks;
  eval::EvalOptions eval;
  std::vector<size_t> pass_k;
  std::string json_path;
  int threads = 0;
};

void run_eval(EvalCommandOptions o) {
  set_thread_count(o.threads);
  const train::TrainConfig config = train::read_checkpoint_config(o.checkpoint);
  nn::Gpt model(config.model, o.eval.batch);
  train::load_checkpoint(o.checkpoint, model, nullptr);
  eval::SummaryOptions summary_options;
  if (o.eval.samples > 0) {
    if (o.pass_k.empty()) o.pass_k = {1, static_cast<size_t>(o.eval.samples)};
    for (size_t k : o.pass_k)
      require(k >= 1 && k <= static_cast<size_t>(o.eval.samples),
              "--pass-k {}: must be in 1..{} (--samples)", k, o.eval.samples);
    summary_options.scoring.pass_k = o.pass_k;
    summary_options.scoring.pass_until_r = static_cast<size_t>(o.eval.pass_until_r);
  }
  nlohmann::json all = nlohmann::json::array();
  for (const auto& spec_text : o.tasks) {
    const auto task = tasks::make_task(tasks::parse_task_spec(spec_text));
    const auto records = eval::evaluate_task(model, *task, o.eval);
    const auto summary = eval::summarise_task(records, summary_options);
    fmt::print("{} on {} held-out examples\n{}\n", task->describe(), records.size(),
               eval::format_table(summary));
    auto doc = eval::to_json(summary);
    doc["task_spec"] = task->describe();
    all.push_back(doc);
  }
  if (!o.json_path.empty())
    write_json_file(o.json_path, {{"checkpoint", o.checkpoint}, {"tasks", all}});
}

}  // namespace

void register_eval(CLI::App& app) {
  auto o = std::make_shared<EvalCommandOptions>();
  CLI::App* cmd = app.add_subcommand("eval", "Evaluate a checkpoint on tasks under every metric");
  cmd->add_option("checkpoint", o->checkpoint, "A checkpoint written by emlab train")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("-t,--task", o->tasks, "Task, e.g. add or \"add(digits=3 reverse=true)\"")
      ->required();
  cmd->add_option("-n,--examples", o->eval.examples, "Held-out examples per task");
  cmd->add_option("--seed", o->eval.seed, "Which held-out examples");
  cmd->add_option("--batch", o->eval.batch, "Sequences per forward pass");
  cmd->add_option("--samples", o->eval.samples, "Temperature samples per example (pass@k)");
  cmd->add_option("--temperature", o->eval.temperature, "Sampling temperature");
  cmd->add_option("--pass-k", o->pass_k, "k values of pass@k (default 1 and --samples)");
  cmd->add_option("--pass-until-r", o->eval.pass_until_r, "PassUntil: passes to wait for (r)");
  cmd->add_option(
      "--pass-until-max", o->eval.pass_until_max,
      "PassUntil: keep sampling each example up to this many draws (0 = only --samples)");
  cmd->add_option("--threads", o->threads, "Threads (0 = all cores)");
  cmd->add_option("--json", o->json_path, "Also write the summaries as JSON");
  cmd->callback([o] { run_eval(*o); });
}

}  // namespace emlab::cli
