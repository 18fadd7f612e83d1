#include "io/training_stream.hpp"

#include "core/error.hpp"
#include "tasks/alphabet.hpp"
#include "tasks/factory.hpp"
#include "tasks/task_stream.hpp"
#include "text/corpus_stream.hpp"
#include "train/mixed_stream.hpp"
#include "train/synthetic_streams.hpp"

namespace emlab::io {

namespace {
// The stream's seed differs from the weights' seed but follows from the run seed.
constexpr uint64_t kStreamSalt = 0x5eed5eed5eedULL;

// In a text + task mixture the task alphabet keeps ids 0..63 and text comes after it: the
// evaluator, probes and task metrics then read task tokens exactly as everywhere else.
int32_t text_id_offset(const train::StreamConfig& data) {
  return data.is_mixture() ? tasks::kVocabSize : 0;
}

// Salts, so the mixture's row draws, its text and its tasks never share a random sequence.
constexpr uint64_t kMixtureSalt = 0x317ed5a17ULL, kTextSalt = 0x7e47ULL;

std::unique_ptr<train::TokenStream> make_task_suite_stream(const train::StreamConfig& d,
                                                           uint64_t seed);

}  // namespace

std::unique_ptr<train::TokenStream> make_training_stream(const train::TrainConfig& config) {
  const train::StreamConfig& d = config.data;
  const uint64_t seed = config.seed ^ kStreamSalt;
  if (d.is_mixture())
    return std::make_unique<train::MixedStream>(
        text::make_corpus_stream(d, text::Part::train, config.sequence_length(),
                                 config.model.vocab_size, seed ^ kTextSalt, text_id_offset(d)),
        make_task_suite_stream(d, seed), d.task_share, seed ^ kMixtureSalt);
  if (d.uses_corpus())
    return text::make_corpus_stream(d, text::Part::train, config.sequence_length(),
                                    config.model.vocab_size, seed);
  if (!d.uses_task_suite()) return train::make_synthetic_stream(d, config.model.vocab_size, seed);
  return make_task_suite_stream(d, seed);
}

namespace {

std::unique_ptr<train::TokenStream> make_task_suite_stream(const train::StreamConfig& d,
                                                           uint64_t seed) {
  tasks::MixtureConfig mixture;
  for (size_t i = 0; i < d.tasks.size(); ++i) {
    tasks::TaskSpec spec;
    try {
      spec = tasks::parse_task_spec(d.tasks[i]);
    } catch (const Error& e) {
      fail("data.tasks[{}]: {}", i, e.what());
    }
    if (!d.weights.empty()) spec.weight = d.weights[i];
    mixture.tasks.push_back(std::move(spec));
  }
  mixture.pool_size = d.pool_size;
  mixture.score_prompt = d.score_prompt;
  try {
    return tasks::make_task_stream(mixture, seed);
  } catch (const Error& e) {
    fail("data.tasks: {}", e.what());
  }
}

}  // namespace

std::unique_ptr<train::TokenStream> make_held_out_stream(const train::TrainConfig& config,
                                                         uint64_t seed) {
  train::TrainConfig other = config;
  other.seed = config.seed ^ (0x9e3779b97f4a7c15ULL * (seed + 1));  // never the run's own seed
  if (config.data.uses_corpus()) return make_validation_stream(other, other.seed);
  return make_training_stream(other);
}

std::unique_ptr<train::TokenStream> make_validation_stream(const train::TrainConfig& config,
                                                           uint64_t seed) {
  require(config.data.uses_corpus(), "validation stream: data.corpus is not set");
  return text::make_corpus_stream(config.data, text::Part::validation, config.sequence_length(),
                                  config.model.vocab_size, seed, text_id_offset(config.data));
}

}  // namespace emlab::io
