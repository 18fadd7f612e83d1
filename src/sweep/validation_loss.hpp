#pragma once
// The validation loss of a checkpoint: mean loss per scored token on held-out data of the run's
// training distribution (the task mixture's test split, weighted as in training; for the built-in
// synthetic streams, fresh sequences from a seed training never uses).
#include "nn/gpt.hpp"
#include "train/train_config.hpp"

namespace emlab::sweep {

// `examples`: held-out examples (task mixtures) or sequences (synthetic streams). The same config
// always scores the same data. NaN when examples is 0.
double validation_loss(nn::Gpt& model, const train::TrainConfig& config, int examples);

}  // namespace emlab::sweep
