#include "train/generation_bench.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "core/timer.hpp"
#include "nn/generation.hpp"
#include "nn/gpt.hpp"
#include "nn/kv_decoder.hpp"

namespace emlab::train {

GenerationThroughput measure_generation(const nn::ModelConfig& config, int examples,
                                        int prompt_tokens, int new_tokens) {
  require(prompt_tokens + new_tokens <= config.context,
          "bench eval: prompt {} + new tokens {} exceed the context {}", prompt_tokens, new_tokens,
          config.context);
  nn::Gpt model(config, examples);
  model.init_weights(1);
  Rng rng(2);
  std::vector<nn::Tokens> prompts(static_cast<size_t>(examples));
  for (auto& p : prompts) {
    p.resize(static_cast<size_t>(prompt_tokens));
    for (auto& t : p) t = static_cast<int32_t>(rng.below(static_cast<uint64_t>(config.vocab_size)));
  }
  GenerationThroughput r{examples, prompt_tokens, new_tokens, 0, 0};

  nn::KvDecoder decoder(model, examples);
  Timer cached;
  const auto outputs = nn::generate(decoder, prompts, {.max_new_tokens = new_tokens});
  r.cached_examples_per_second = examples / cached.seconds();

  // Full recomputation, batched: every new token runs the model over the whole sequences.
  std::vector<int32_t> seq(static_cast<size_t>(examples) * config.context);
  Timer uncached;
  for (int t = prompt_tokens; t < prompt_tokens + new_tokens; ++t) {
    for (int b = 0; b < examples; ++b) {
      const auto& p = prompts[static_cast<size_t>(b)];
      const auto& o = outputs[static_cast<size_t>(b)];
      for (int j = 0; j < t; ++j)
        seq[static_cast<size_t>(b * t + j)] = j < prompt_tokens
                                                  ? p[static_cast<size_t>(j)]
                                                  : o[static_cast<size_t>(j - prompt_tokens)];
    }
    model.forward(seq.data(), nullptr, examples, t);
    // argmax of the last position, as greedy decoding would (the tokens are already known).
    volatile int32_t sink = 0;
    for (int b = 0; b < examples; ++b) {
      const float* row = model.logits() + (int64_t{b} * t + t - 1) * config.vocab_size;
      sink = static_cast<int32_t>(std::max_element(row, row + config.vocab_size) - row);
    }
    (void)sink;
  }
  r.uncached_examples_per_second = examples / uncached.seconds();
  return r;
}

}  // namespace emlab::train
