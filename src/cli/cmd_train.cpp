// emlab train: one model, from a TOML config and/or --set overrides, with progress and ETA.
#include <fmt/format.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/format.hpp"
#include "cli/shared_options.hpp"
#include "core/error.hpp"
#include "core/provenance.hpp"
#include "io/train_config_toml.hpp"
#include "io/training_stream.hpp"
#include "nn/blas.hpp"
#include "train/checkpoint.hpp"
#include "train/trainer.hpp"

namespace emlab::cli {

namespace {

std::atomic<bool> g_stop_requested{false};
extern "C" void on_stop_signal(int) {
  g_stop_requested.store(true);
}

struct TrainOptions {
  std::string config_path;
  std::vector<std::string> overrides;
  std::string resume;
  bool quiet = false;
};

void write_run_record(const std::filesystem::path& path, const train::TrainConfig& config,
                      const train::TrainResult& result, const train::Trainer& trainer) {
  nlohmann::json losses = nlohmann::json::array();
  for (double l : trainer.losses())
    losses.push_back(std::isfinite(l) ? nlohmann::json(l) : nullptr);
  const nlohmann::json record = {
      {"config", train::to_json(config)},
      {"seed", config.seed},
      {"code_version", code_version()},
      {"machine", machine_description()},
      {"blas", nn::blas_description()},
      {"status", train::to_string(result.status)},
      {"reason", result.reason},
      {"steps_done", result.steps_done},
      {"tokens", trainer.state().tokens},
      {"final_loss", result.final_loss},
      {"seconds", result.seconds},
      {"data_seconds", result.data_seconds},
      {"tokens_per_second", result.tokens_per_second},
      {"parameters", config.model.parameter_count()},
      {"non_embedding_parameters", config.model.non_embedding_parameter_count()},
      {"losses", losses},
  };
  write_json_file(path.string(), record);
}

void run_train(const TrainOptions& o) {
  train::TrainConfig config;
  if (!o.resume.empty() && o.config_path.empty())
    config = io::override_train_config(train::read_checkpoint_config(o.resume), o.overrides);
  else
    config = io::load_train_config(o.config_path, o.overrides);

  train::Trainer trainer(config, io::make_training_stream(config));
  if (!o.resume.empty()) trainer.resume_from(o.resume);
  const std::filesystem::path out(config.out_dir);
  std::filesystem::create_directories(out);

  if (!o.quiet) {
    fmt::print("emlab train: {} parameters ({} non-embedding), {} layers x width {}, {} heads\n",
               human_count(static_cast<double>(config.model.parameter_count())),
               human_count(static_cast<double>(config.model.non_embedding_parameter_count())),
               config.model.layers, config.model.width, config.model.heads);
    fmt::print("  data {} | batch {} x {} tokens | {} steps from step {} | seed {}\n",
               config.data.uses_corpus()
                   ? fmt::format("{} ({})", config.data.corpus, config.data.tokenizer)
                   : config.data.task,
               config.batch_size, config.sequence_length(), config.steps, trainer.state().step,
               config.seed);
  }
  g_stop_requested = false;
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
  trainer.set_stop_flag(&g_stop_requested);

  const train::TrainResult result = trainer.run([&](const train::Progress& p) {
    if (o.quiet) return;
    fmt::print(
        "  step {:>{}}/{} | loss {:.4f} | lr {:.2e} | grad {:.3f} | {} tok/s | {} | ETA {}\n",
        p.step, std::to_string(p.total_steps).size(), p.total_steps, p.loss, p.learning_rate,
        p.grad_norm, human_count(p.tokens_per_second), human_duration(p.elapsed_seconds),
        human_duration(p.eta_seconds));
    std::fflush(stdout);
  });
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);

  const std::filesystem::path checkpoint =
      out / (result.status == train::RunStatus::kCompleted ? "final.safetensors"
                                                           : "interrupted.safetensors");
  if (result.status != train::RunStatus::kDiverged) trainer.save_checkpoint(checkpoint);
  write_run_record(out / "run.json", config, result, trainer);

  switch (result.status) {
    case train::RunStatus::kCompleted:
      fmt::print(
          "done: final loss {:.4f} after {} steps, {} tok/s ({:.2f}% of the time filling "
          "batches); checkpoint {}\n",
          result.final_loss, result.steps_done, human_count(result.tokens_per_second),
          100 * result.data_seconds / std::max(result.seconds, 1e-9), checkpoint.string());
      return;
    case train::RunStatus::kPaused:
      fmt::print("interrupted at step {}; resume with: emlab train --resume {}\n",
                 result.steps_done, checkpoint.string());
      throw ExitCode(130);
    case train::RunStatus::kDiverged:
      fail("training diverged: {} (recorded in {})", result.reason, (out / "run.json").string());
  }
}

}  // namespace

void register_train(CLI::App& app) {
  auto options = std::make_shared<TrainOptions>();
  CLI::App* cmd = app.add_subcommand("train", "Train one GPT-style model");
  cmd->add_option("-c,--config", options->config_path,
                  "TOML config ([model] [optim] [data] [train])")
      ->check(CLI::ExistingFile);
  cmd->add_option("--set", options->overrides, "Override a config value: section.key=value")
      ->take_all();
  cmd->add_option("--resume", options->resume, "Continue from this checkpoint");
  cmd->add_flag("-q,--quiet", options->quiet, "No progress lines");
  cmd->callback([options] { run_train(*options); });
}

}  // namespace emlab::cli
