#pragma once
// A training checkpoint is one safetensors file: the model's tensors under their own names, the
// AdamW moments under "adamw.m.<name>" / "adamw.v.<name>", and in the metadata the training
// config (JSON), step, tokens seen, data-stream position, seed and code version. Python's
// safetensors (or any reader of the format) loads it.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "nn/adamw.hpp"
#include "nn/gpt.hpp"
#include "train/train_config.hpp"

namespace emlab::train {

struct TrainState {
  int64_t step = 0;          // optimizer updates done
  int64_t tokens = 0;        // tokens consumed
  std::string stream_state;  // TokenStream::save_state()
  // Loss of every step so far, indexed by step (NaN where unknown). Kept in the checkpoint so a
  // resumed run still knows its whole loss curve (sweeps record it; older files lack it).
  std::vector<double> losses;
};

void save_checkpoint(const std::filesystem::path& path, const TrainConfig& config,
                     const nn::Gpt& model, const nn::AdamW& optimizer, const TrainState& state);

// The training config stored in a checkpoint; throws emlab::Error if the file is missing,
// truncated or not an emlab checkpoint.
TrainConfig read_checkpoint_config(const std::filesystem::path& path);

// Loads weights (and the optimizer moments, when optimizer is not null) into objects built for
// `model`'s config; throws emlab::Error naming the mismatched field or tensor.
TrainState load_checkpoint(const std::filesystem::path& path, nn::Gpt& model, nn::AdamW* optimizer);

}  // namespace emlab::train
