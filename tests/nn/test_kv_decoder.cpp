// The KV-cached decoder against full recomputation: same logits to float rounding, same tokens.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <vector>

#include "core/rng.hpp"
#include "nn/generation.hpp"
#include "nn/kv_decoder.hpp"
#include "support/error_message.hpp"

namespace emlab::nn {
namespace {

Gpt random_model(const ModelConfig& c, int batch, uint64_t seed) {
  Gpt model(c, batch);
  Rng rng(seed);
  for (float& p : model.parameters()) p = static_cast<float>(0.3 * rng.normal());
  return model;
}

// Tolerance on logits: the cached path sums attention in another order (and without the
// blocked sgemm), so the two agree to float rounding, not bit for bit.
constexpr double kLogitTolerance = 1e-5;  // measured: at most 4.8e-7

TEST(KvDecoder, StepLogitsMatchTheFullForwardAtEveryPosition) {
  for (const int mlp : {0, 48}) {
    const ModelConfig c{.vocab_size = 11,
                        .context = 40,
                        .width = 24,
                        .layers = 3,
                        .heads = 3,
                        .mlp_width = mlp,
                        .tied_embeddings = false};
    Gpt model = random_model(c, 2, 5);
    Rng rng(6);
    const int T = 40;
    std::vector<int32_t> seq(2 * T);
    for (auto& t : seq) t = static_cast<int32_t>(rng.below(11));
    model.forward(seq.data(), nullptr, 2, T);
    const std::vector<float> full(model.logits(), model.logits() + 2 * T * 11);

    KvDecoder decoder(model, 2);
    double worst = 0;
    for (int p = 0; p < T; ++p) {
      const int32_t tokens[2] = {seq[p], seq[T + p]};
      const int32_t positions[2] = {p, p};
      const float* logits = decoder.step(tokens, positions, 2);
      for (int b = 0; b < 2; ++b)
        for (int v = 0; v < 11; ++v)
          worst = std::max(worst, std::abs(static_cast<double>(logits[b * 11 + v]) -
                                           full[(b * T + p) * 11 + v]));
    }
    EXPECT_LT(worst, kLogitTolerance) << "mlp_width " << mlp;
    std::ostringstream text;
    text << std::scientific << worst;
    RecordProperty("max_abs_logit_difference_mlp" + std::to_string(mlp), text.str());
  }
}

TEST(KvDecoder, GreedyGenerationEqualsRecomputationForPromptsOfDifferentLengths) {
  const ModelConfig c{.vocab_size = 13,
                      .context = 32,
                      .width = 32,
                      .layers = 2,
                      .heads = 4,
                      .mlp_width = 64,
                      .tied_embeddings = true};
  Gpt model = random_model(c, 1, 8);
  Rng rng(9);
  std::vector<Tokens> prompts;
  for (int i = 0; i < 7; ++i) {
    Tokens p(static_cast<size_t>(1 + 3 * i));
    for (auto& t : p) t = static_cast<int32_t>(rng.below(13));
    prompts.push_back(p);
  }
  const GenerationOptions options{.max_new_tokens = 12, .stop_token = 0, .temperature = 0.0f};
  KvDecoder decoder(model, 3);  // 7 prompts in chunks of 3
  const auto cached = generate(decoder, prompts, options);
  const auto recomputed = generate_greedy_uncached(model, prompts, options);
  ASSERT_EQ(cached.size(), prompts.size());
  for (size_t i = 0; i < prompts.size(); ++i) {
    EXPECT_EQ(cached[i], recomputed[i]) << "prompt " << i;
    EXPECT_FALSE(cached[i].empty());
    EXPECT_LE(prompts[i].size() + cached[i].size(), 32u + 1u);
  }
}

TEST(KvDecoder, SamplingIsSeededAndTemperatureSharpens) {
  const ModelConfig c{.vocab_size = 9,
                      .context = 16,
                      .width = 16,
                      .layers = 1,
                      .heads = 2,
                      .mlp_width = 32,
                      .tied_embeddings = true};
  Gpt model = random_model(c, 1, 10);
  KvDecoder decoder(model, 4);
  const std::vector<Tokens> prompts(4, Tokens{1, 2, 3});
  GenerationOptions hot{.max_new_tokens = 8, .stop_token = -1, .temperature = 1.0f};
  Rng a(3), b(3);
  EXPECT_EQ(generate(decoder, prompts, hot, &a), generate(decoder, prompts, hot, &b));
  GenerationOptions cold = hot;
  cold.temperature = 1e-4f;  // effectively greedy
  Rng r(4);
  const auto near_greedy = generate(decoder, prompts, cold, &r);
  const auto greedy = generate(decoder, prompts, {.max_new_tokens = 8, .stop_token = -1});
  EXPECT_EQ(near_greedy, greedy);
}

TEST(KvDecoder, BadStepsAreRefused) {
  const ModelConfig c{.vocab_size = 5,
                      .context = 4,
                      .width = 8,
                      .layers = 1,
                      .heads = 2,
                      .mlp_width = 8,
                      .tied_embeddings = true};
  Gpt model(c, 1);
  KvDecoder decoder(model, 2);
  int32_t tok[2] = {1, 7}, pos[2] = {0, 0};
  EXPECT_NE(testing::error_message([&] { decoder.step(tok, pos, 2); }).find("token id 7"),
            std::string::npos);
  tok[1] = 1;
  pos[1] = 2;
  EXPECT_NE(testing::error_message([&] {
              decoder.step(tok, pos, 2);
            }).find("jumps to position 2 with only 0 positions cached"),
            std::string::npos);
  EXPECT_NE(testing::error_message([&] { decoder.step(tok, pos, 3); }).find("3 sequences"),
            std::string::npos);
  const std::vector<Tokens> too_long = {Tokens(5, 1)};
  EXPECT_NE(testing::error_message([&] {
              generate(decoder, too_long, {});
            }).find("prompt 0 has 5 tokens; expected 1..4"),
            std::string::npos);
}

}  // namespace
}  // namespace emlab::nn
