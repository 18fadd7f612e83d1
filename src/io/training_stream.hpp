#pragma once
// The data stream a training config asks for: a built-in synthetic stream, a task-suite mixture
// or a text corpus, or text with a share of task rows (the trainer cannot build those itself:
// tasks/ and text/ sit above train/).
#include <memory>

#include "train/token_stream.hpp"
#include "train/train_config.hpp"

namespace emlab::io {

// Throws emlab::Error naming data.tasks / data.weights for unknown tasks or bad parameters.
std::unique_ptr<train::TokenStream> make_training_stream(const train::TrainConfig& config);

// The same distribution from another seed, which training never draws: held-out sequences for
// the probes' in-context score. Different probe seeds give different sequences. For a corpus,
// windows of its validation part.
std::unique_ptr<train::TokenStream> make_held_out_stream(const train::TrainConfig& config,
                                                         uint64_t seed);

// A corpus's validation part as windows of train.seq_len tokens (the validation loss). In a text +
// task mixture it holds text only, with the ids training gave text: the text loss.
std::unique_ptr<train::TokenStream> make_validation_stream(const train::TrainConfig& config,
                                                           uint64_t seed);

}  // namespace emlab::io
