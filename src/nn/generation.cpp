#include "nn/generation.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace emlab::nn {

namespace {

int32_t argmax(const float* logits, int V) {
  return static_cast<int32_t>(std::max_element(logits, logits + V) - logits);
}

int32_t sample(const float* logits, int V, float temperature, Rng& rng) {
  const float max = *std::max_element(logits, logits + V);
  double total = 0;
  for (int v = 0; v < V; ++v) total += std::exp((logits[v] - max) / temperature);
  double u = rng.uniform() * total;
  for (int v = 0; v < V; ++v) {
    u -= std::exp((logits[v] - max) / temperature);
    if (u < 0) return v;
  }
  return V - 1;
}

void check_prompts(const std::vector<Tokens>& prompts, int context) {
  for (size_t i = 0; i < prompts.size(); ++i)
    require(!prompts[i].empty() && static_cast<int>(prompts[i].size()) <= context,
            "generation: prompt {} has {} tokens; expected 1..{} (model.context)", i,
            prompts[i].size(), context);
}

}  // namespace

std::vector<Tokens> generate(KvDecoder& decoder, const std::vector<Tokens>& prompts,
                             const GenerationOptions& options, Rng* rng) {
  const ModelConfig& c = decoder.model().config();
  check_prompts(prompts, c.context);
  require(options.temperature == 0.0f || rng != nullptr,
          "generation: sampling at temperature {} needs a random generator", options.temperature);
  std::vector<Tokens> outputs(prompts.size());
  const int chunk = decoder.max_batch();
  std::vector<int32_t> tokens(static_cast<size_t>(chunk)), positions(tokens.size());
  std::vector<int32_t> fed(tokens.size());  // tokens fed so far per sequence
  std::vector<char> done(tokens.size());

  for (size_t first = 0; first < prompts.size(); first += static_cast<size_t>(chunk)) {
    const int n = static_cast<int>(std::min(prompts.size() - first, static_cast<size_t>(chunk)));
    std::fill(fed.begin(), fed.end(), 0);
    std::fill(done.begin(), done.end(), 0);
    int active = n;
    while (active > 0) {
      for (int i = 0; i < n; ++i) {
        const Tokens& prompt = prompts[first + static_cast<size_t>(i)];
        const Tokens& out = outputs[first + static_cast<size_t>(i)];
        const int p = std::min(fed[static_cast<size_t>(i)], c.context - 1);
        const auto plen = static_cast<int>(prompt.size());
        // A finished sequence repeats its last position: harmless, and keeps slots fixed.
        positions[static_cast<size_t>(i)] = done[static_cast<size_t>(i)] ? std::max(0, p - 1) : p;
        const int at = positions[static_cast<size_t>(i)];
        tokens[static_cast<size_t>(i)] =
            at < plen ? prompt[static_cast<size_t>(at)] : out[static_cast<size_t>(at - plen)];
      }
      const float* logits = decoder.step(tokens.data(), positions.data(), n);
      for (int i = 0; i < n; ++i) {
        const auto s = static_cast<size_t>(i);
        if (done[s]) continue;
        ++fed[s];
        const Tokens& prompt = prompts[first + s];
        Tokens& out = outputs[first + s];
        if (fed[s] < static_cast<int>(prompt.size())) continue;  // still reading the prompt
        const float* row = logits + int64_t{i} * c.vocab_size;
        const int32_t next = options.temperature > 0.0f
                                 ? sample(row, c.vocab_size, options.temperature, *rng)
                                 : argmax(row, c.vocab_size);
        out.push_back(next);
        if (next == options.stop_token || static_cast<int>(out.size()) >= options.max_new_tokens ||
            fed[s] >= c.context) {
          done[s] = 1;
          --active;
        }
      }
    }
  }
  return outputs;
}

std::vector<Tokens> generate_greedy_uncached(Gpt& model, const std::vector<Tokens>& prompts,
                                             const GenerationOptions& options) {
  const ModelConfig& c = model.config();
  check_prompts(prompts, c.context);
  std::vector<Tokens> outputs;
  for (const Tokens& prompt : prompts) {
    Tokens seq = prompt, out;
    while (true) {
      const int T = static_cast<int>(seq.size());
      model.forward(seq.data(), nullptr, 1, T);
      const int32_t next = argmax(model.logits() + int64_t{T - 1} * c.vocab_size, c.vocab_size);
      out.push_back(next);
      seq.push_back(next);
      if (next == options.stop_token || static_cast<int>(out.size()) >= options.max_new_tokens ||
          T >= c.context)
        break;
    }
    outputs.push_back(std::move(out));
  }
  return outputs;
}

}  // namespace emlab::nn
