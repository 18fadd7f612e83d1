// emlab probe: look inside one checkpoint. Head scores (previous-token, induction, duplicate-token,
// OV copying), the in-context-learning score and repeated-half losses; with --ablate, the loss and
// every task metric of the model with heads or branches knocked out, beside the intact model's.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>
#include <nlohmann/json.hpp>
#include <utility>

#include "cli/commands.hpp"
#include "cli/shared_options.hpp"
#include "core/error.hpp"
#include "core/threads.hpp"
#include "io/training_stream.hpp"
#include "nn/gpt.hpp"
#include "probe/ablation_comparison.hpp"
#include "probe/probe_registry.hpp"
#include "probe/probe_runner.hpp"
#include "train/checkpoint.hpp"

namespace emlab::cli {

namespace {

struct ProbeCommandOptions {
  std::string checkpoint;
  probe::ProbeOptions probes;
  std::vector<std::string> ablate;
  std::string ablate_mode = "zero";
  std::vector<std::string> tasks;
  int examples = 200;
  std::string json_path;
  int threads = 0;
};

constexpr int kBatch = 32;

void print_head_table(const std::string& name, const std::vector<probe::ProbeScore>& scores,
                      const nn::ModelConfig& c) {
  std::map<std::pair<int, int>, double> at;
  for (const auto& s : scores)
    if (s.probe == name) at[{s.layer, s.head}] = s.value;
  if (at.empty()) return;
  fmt::print("\n{} (rows: layers, columns: heads)\n      ", name);
  for (int h = 0; h < c.heads; ++h) fmt::print("{:>7}", fmt::format("H{}", h));
  fmt::print("\n");
  for (int l = 0; l < c.layers; ++l) {
    fmt::print("  L{:<3}", l);
    for (int h = 0; h < c.heads; ++h) fmt::print("{:>7.3f}", at[{l, h}]);
    fmt::print("\n");
  }
}

void run_ablation(nn::Gpt& model, const train::TrainConfig& config, const ProbeCommandOptions& o,
                  const probe::ProbeOptions& resolved) {
  probe::AblationSetup setup;
  setup.ablation = nn::Ablation::parse(nn::Ablation::parse_mode(o.ablate_mode), o.ablate);
  setup.tasks = o.tasks;
  setup.examples = o.examples;
  setup.held_out = [&] { return io::make_held_out_stream(config, resolved.seed); };
  const probe::AblationComparison c = probe::compare_ablation(model, resolved, std::move(setup));
  fmt::print("{} ({})\n\n{:<40} {:>10} {:>10} {:>10}\n", o.checkpoint, c.ablation, "measure",
             "intact", "ablated", "change");
  nlohmann::json rows = nlohmann::json::array();
  for (const probe::AblationMeasure& m : c.measures) {
    fmt::print("{:<40} {:>10.4f} {:>10.4f} {:>+10.4f}\n", m.name, m.intact, m.ablated,
               m.ablated - m.intact);
    rows.push_back({{"measure", m.name}, {"intact", m.intact}, {"ablated", m.ablated}});
  }
  if (!o.json_path.empty())
    write_json_file(o.json_path, {{"checkpoint", o.checkpoint},
                                  {"ablation", c.ablation},
                                  {"seed", resolved.seed},
                                  {"measures", rows}});
}

void run_probe(const ProbeCommandOptions& o) {
  set_thread_count(o.threads);
  const train::TrainConfig config = train::read_checkpoint_config(o.checkpoint);
  nn::Gpt model(config.model, kBatch);
  const train::TrainState state = train::load_checkpoint(o.checkpoint, model, nullptr);
  const probe::ProbeOptions resolved = o.probes.resolved_for(config.model);
  if (!o.ablate.empty()) {
    run_ablation(model, config, o, resolved);
    return;
  }
  // Only probes of held-out sequences (the in-context score) read the training distribution:
  // other probes work on checkpoints whose stream this build cannot make.
  const auto held_out =
      probe::needs_held_out(resolved) ? io::make_held_out_stream(config, resolved.seed) : nullptr;
  const auto scores = probe::run_probes(model, resolved, held_out.get());
  fmt::print(
      "{} at step {}: {} layers x {} heads; probe batch {} rows of {} distinct tokens "
      "(ids {}..{}) repeated {} times, seed {}\n",
      o.checkpoint, state.step, config.model.layers, config.model.heads, resolved.rows,
      resolved.block, resolved.first_token, resolved.last_token, resolved.repeats, resolved.seed);
  for (const probe::ProbeKind& kind : probe::probe_kinds())
    if (kind.scope == probe::ProbeScope::kHead)
      for (const std::string& name : kind.scores) print_head_table(name, scores, config.model);
  bool header = false;
  for (const auto& s : scores) {
    if (s.layer < 0 || s.head >= 0) continue;
    if (!header) fmt::print("\nlayers\n");
    header = true;
    fmt::print("  {:<22} L{:<3} {:>10.4f}\n", s.probe, s.layer, s.value);
  }
  header = false;
  for (const auto& s : scores) {
    if (s.layer >= 0) continue;
    if (!header) fmt::print("\nmodel\n");
    header = true;
    fmt::print("  {:<22} {:>10.4f}\n", s.probe, s.value);
  }
  if (!o.json_path.empty()) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& s : scores)
      rows.push_back({{"probe", s.probe},
                      {"layer", s.layer},
                      {"head", s.head},
                      {"value", s.value},
                      {"seed", s.seed}});
    write_json_file(o.json_path, {{"checkpoint", o.checkpoint},
                                  {"step", state.step},
                                  {"block", resolved.block},
                                  {"repeats", resolved.repeats},
                                  {"rows", resolved.rows},
                                  {"tokens", {resolved.first_token, resolved.last_token}},
                                  {"scores", rows}});
  }
}

}  // namespace

void register_probe(CLI::App& app) {
  auto o = std::make_shared<ProbeCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "probe", "Look inside a checkpoint: head scores, in-context learning, ablations");
  cmd->add_option("checkpoint", o->checkpoint, "A checkpoint written by emlab train or sweep")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option(
      "-p,--probe", o->probes.probes,
      fmt::format("Probes to run (default all): {}", fmt::join(probe::probe_names(), ", ")));
  cmd->add_option("--block", o->probes.block,
                  "Distinct tokens per copy in the probe batch (default: as many as fit)");
  cmd->add_option("--repeats", o->probes.repeats, "Copies of the block per row (default 2)");
  cmd->add_option("--rows", o->probes.rows, "Rows of the probe batch (default 32)");
  cmd->add_option("--icl-rows", o->probes.icl_rows, "Held-out rows for the in-context score");
  cmd->add_option("--seed", o->probes.seed, "Seed of the probe batches (stored with the scores)");
  cmd->add_option("--first-token", o->probes.first_token, "Lowest token id the probe draws");
  cmd->add_option("--last-token", o->probes.last_token, "Highest token id the probe draws");
  cmd->add_option("--ablate", o->ablate,
                  "Knock out LxHy (a head), Lx.attn or Lx.mlp and compare loss and metrics");
  cmd->add_option("--ablate-mode", o->ablate_mode, "zero (default) or mean");
  cmd->add_option("-t,--task", o->tasks, "With --ablate: tasks whose metrics to compare");
  cmd->add_option("-n,--examples", o->examples, "With --ablate: examples per task (default 200)");
  cmd->add_option("--json", o->json_path, "Also write the scores as JSON");
  cmd->add_option("--threads", o->threads, "Threads (0 = all cores)");
  cmd->callback([o] { run_probe(*o); });
}

}  // namespace emlab::cli
