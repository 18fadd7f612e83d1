#pragma once
// Greedy and temperature-sampled generation for a batch of prompts through the KV cache.
#include <cstdint>
#include <vector>

#include "core/rng.hpp"
#include "nn/gpt.hpp"
#include "nn/kv_decoder.hpp"

namespace emlab::nn {

using Tokens = std::vector<int32_t>;

struct GenerationOptions {
  int max_new_tokens = 16;
  int32_t stop_token = -1;   // generation of a sequence ends after it emits this (kept in output)
  float temperature = 0.0f;  // 0 = greedy (argmax, lowest id on ties)
};

// Generates a continuation of every prompt, decoder.max_batch() prompts at a time. A sequence
// also stops when it reaches the model's context. `rng` is used only when temperature > 0.
std::vector<Tokens> generate(KvDecoder& decoder, const std::vector<Tokens>& prompts,
                             const GenerationOptions& options, Rng* rng = nullptr);

// The same greedy outputs recomputed without a cache (a full forward pass per new token): the
// reference that the cached path is tested and benchmarked against.
std::vector<Tokens> generate_greedy_uncached(Gpt& model, const std::vector<Tokens>& prompts,
                                             const GenerationOptions& options);

}  // namespace emlab::nn
