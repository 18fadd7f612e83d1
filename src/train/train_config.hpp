#pragma once
// Everything that determines a training run. Recorded in every checkpoint (as JSON) so a run can
// be reproduced and resumed; read from TOML by io/train_config_toml.
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "nn/adamw.hpp"
#include "nn/config.hpp"
#include "train/synthetic_streams.hpp"

namespace emlab::train {

struct OptimConfig {
  float learning_rate = 1e-3f;  // peak, reached after warmup
  int warmup_steps = 100;       // linear warmup from lr/warmup
  float min_lr_ratio = 0.1f;    // cosine decay ends at learning_rate · min_lr_ratio
  float grad_clip = 1.0f;       // global gradient norm limit; 0 = no clipping
  nn::AdamWConfig adamw;
};

struct TrainConfig {
  nn::ModelConfig model;
  OptimConfig optim;
  StreamConfig data;
  int batch_size = 32;
  int seq_len = 0;  // 0 = model.context
  int64_t steps = 1000;
  uint64_t seed = 1;
  int log_every = 50;        // steps between progress lines; 0 = none
  int checkpoint_every = 0;  // steps between checkpoints; 0 = only at the end
  std::string out_dir = "runs/train";
  int threads = 0;  // 0 = all cores

  int sequence_length() const { return seq_len > 0 ? seq_len : model.context; }
  // Throws emlab::Error naming the offending field.
  void validate() const;
};

nlohmann::json to_json(const TrainConfig& config);
TrainConfig train_config_from_json(const nlohmann::json& json);  // for checkpoints

// Learning rate at `step` (0-based): linear warmup, then cosine decay to the floor.
float learning_rate_at(const OptimConfig& optim, int64_t step, int64_t total_steps);

}  // namespace emlab::train
