#pragma once
// The training loop: batches from a token stream, forward, backward, gradient clipping, AdamW
// with a warmup-cosine schedule; divergence detection; checkpoints; exact resume.
#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "nn/adamw.hpp"
#include "nn/gpt.hpp"
#include "train/checkpoint.hpp"
#include "train/token_stream.hpp"
#include "train/train_config.hpp"

namespace emlab::train {

struct Progress {
  int64_t step = 0;  // updates done
  int64_t total_steps = 0;
  double loss = 0;  // mean loss of the last logged steps
  double grad_norm = 0;
  float learning_rate = 0;
  double tokens_per_second = 0;
  double elapsed_seconds = 0;
  double eta_seconds = 0;
};

enum class RunStatus { kCompleted, kDiverged, kPaused };

struct TrainResult {
  RunStatus status = RunStatus::kCompleted;
  std::string reason;  // why a run diverged
  int64_t steps_done = 0;
  double final_loss = 0;
  double seconds = 0;
  double data_seconds = 0;  // of `seconds`, spent filling batches (the stream's next_batch)
  double tokens_per_second = 0;
};

class Trainer {
 public:
  // Builds the model and stream from the config and initialises weights from config.seed. The
  // stream defaults to the built-in synthetic one named by config.data.
  explicit Trainer(const TrainConfig& config, std::unique_ptr<TokenStream> stream = nullptr);

  // Continue from a checkpoint of a run with the same model config.
  void resume_from(const std::filesystem::path& checkpoint);
  void save_checkpoint(const std::filesystem::path& path) const;

  // Trains until config.steps (or until `stop_at_step` when positive, leaving the run resumable),
  // calling on_log every config.log_every steps.
  TrainResult run(const std::function<void(const Progress&)>& on_log = {},
                  int64_t stop_at_step = 0);

  // When set, run() checks the flag after each step and returns kPaused once it is true (the CLI
  // sets it from SIGINT/SIGTERM so an interrupted run saves a checkpoint instead of dying).
  void set_stop_flag(const std::atomic<bool>* flag) { stop_flag_ = flag; }

  const TrainConfig& config() const { return config_; }
  nn::Gpt& model() { return model_; }
  const TrainState& state() const { return state_; }  // stream_state is filled by checkpoints
  // Loss of every step taken by this Trainer, indexed by step number (NaN where not taken here).
  const std::vector<double>& losses() const { return losses_; }

 private:
  TrainConfig config_;
  nn::Gpt model_;
  nn::AdamW optimizer_;
  std::unique_ptr<TokenStream> stream_;
  TrainState state_;
  std::vector<int32_t> tokens_, targets_;
  std::vector<double> losses_;
  const std::atomic<bool>* stop_flag_ = nullptr;
};

const char* to_string(RunStatus status);

}  // namespace emlab::train
