#pragma once
// Examples per second of greedy generation with the KV cache and with full recomputation, for
// `emlab bench eval`.
#include "nn/config.hpp"

namespace emlab::train {

struct GenerationThroughput {
  int examples = 0;
  int prompt_tokens = 0;
  int new_tokens = 0;
  double cached_examples_per_second = 0;
  double uncached_examples_per_second = 0;
};

// Random-weight model of the given shape; `examples` random prompts of `prompt_tokens` tokens,
// each continued by `new_tokens` greedy tokens. The uncached path runs a batched full forward
// pass over the growing sequences for every new token.
GenerationThroughput measure_generation(const nn::ModelConfig& model, int examples,
                                        int prompt_tokens, int new_tokens);

}  // namespace emlab::train
