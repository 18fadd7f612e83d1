// Ablations: nothing ablated is bit-identical, a head ablated changes the logits, every head of a
// one-layer attention-only model ablated leaves what the embeddings alone give, and the cached
// decoder sees the same ablated model as the full forward pass.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "nn/ablation.hpp"
#include "nn/gpt.hpp"
#include "nn/kv_decoder.hpp"

namespace emlab::nn {
namespace {

ModelConfig small_config(int layers, int mlp_width) {
  ModelConfig c;
  c.vocab_size = 16;
  c.context = 12;
  c.width = 16;
  c.layers = layers;
  c.heads = 4;
  c.mlp_width = mlp_width;
  return c;
}

// Initialised, then every parameter (biases and gains too) nudged so that none is trivially 0/1.
Gpt random_model(const ModelConfig& c, int batch) {
  Gpt model(c, batch);
  model.init_weights(5);
  Rng rng(11);
  for (float& p : model.parameters()) p += static_cast<float>(0.05 * rng.normal());
  return model;
}

std::vector<int32_t> random_tokens(int n, int vocab, uint64_t seed) {
  Rng rng(seed);
  std::vector<int32_t> t(static_cast<size_t>(n));
  for (int32_t& x : t) x = static_cast<int32_t>(rng.below(static_cast<uint64_t>(vocab)));
  return t;
}

std::vector<float> logits_of(Gpt& model, const std::vector<int32_t>& tokens, int B, int T) {
  model.forward(tokens.data(), nullptr, B, T);
  const size_t n = static_cast<size_t>(B) * T * model.config().vocab_size;
  return {model.logits(), model.logits() + n};
}

// logits = LayerNorm_f(x) · W_Uᵀ for residual streams x (N, C), computed here from the weights.
std::vector<float> unembed(const Gpt& model, const std::vector<float>& x) {
  const ModelConfig& c = model.config();
  const ModelTensors& w = model.weights();
  const int C = c.width, V = c.vocab_size, N = static_cast<int>(x.size()) / C;
  std::vector<float> out(static_cast<size_t>(N) * V);
  for (int n = 0; n < N; ++n) {
    const float* r = x.data() + static_cast<size_t>(n) * C;
    double mean = 0, var = 0;
    for (int i = 0; i < C; ++i) mean += r[i];
    mean /= C;
    for (int i = 0; i < C; ++i) var += (r[i] - mean) * (r[i] - mean);
    const double rstd = 1.0 / std::sqrt(var / C + 1e-5);
    std::vector<double> ln(static_cast<size_t>(C));
    for (int i = 0; i < C; ++i)
      ln[static_cast<size_t>(i)] = (r[i] - mean) * rstd * w.lnf_w[i] + w.lnf_b[i];
    for (int v = 0; v < V; ++v) {
      double dot = 0;
      for (int i = 0; i < C; ++i) dot += ln[static_cast<size_t>(i)] * w.lm_head[v * C + i];
      out[static_cast<size_t>(n) * V + v] = static_cast<float>(dot);
    }
  }
  return out;
}

// Token plus position embedding (and optionally one bias vector) for every position.
std::vector<float> embeddings(const Gpt& model, const std::vector<int32_t>& tokens, int T,
                              const float* bias) {
  const int C = model.config().width;
  const ModelTensors& w = model.weights();
  std::vector<float> x(tokens.size() * static_cast<size_t>(C));
  for (size_t n = 0; n < tokens.size(); ++n)
    for (int i = 0; i < C; ++i)
      x[n * C + i] = w.wte[tokens[n] * C + i] + w.wpe[static_cast<int>(n % T) * C + i] +
                     (bias != nullptr ? bias[i] : 0.0f);
  return x;
}

void expect_close(const std::vector<float>& a, const std::vector<float>& b, float tolerance) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) ASSERT_NEAR(a[i], b[i], tolerance) << "at " << i;
}

TEST(Ablation, NothingAblatedIsBitIdentical) {
  Gpt model = random_model(small_config(2, 32), 3);
  const auto tokens = random_tokens(3 * 12, 16, 1);
  const auto before = logits_of(model, tokens, 3, 12);
  model.set_ablation(Ablation(Ablation::Mode::kZero, {}, {}, {}));
  EXPECT_EQ(model.ablation(), nullptr);
  EXPECT_EQ(logits_of(model, tokens, 3, 12), before);
  model.set_ablation(Ablation::parse(Ablation::Mode::kZero, {"L1H2"}));
  model.clear_ablation();
  EXPECT_EQ(logits_of(model, tokens, 3, 12), before);
}

TEST(Ablation, AblatingAHeadChangesTheLogitsAndTheMlpOtherwise) {
  Gpt model = random_model(small_config(2, 32), 2);
  const auto tokens = random_tokens(2 * 12, 16, 2);
  const auto before = logits_of(model, tokens, 2, 12);
  for (const char* target : {"L0H0", "L1H3", "L0.attn", "L1.mlp"}) {
    model.set_ablation(Ablation::parse(Ablation::Mode::kZero, {target}));
    const auto after = logits_of(model, tokens, 2, 12);
    double change = 0;
    for (size_t i = 0; i < after.size(); ++i) change += std::abs(after[i] - before[i]);
    EXPECT_GT(change / static_cast<double>(after.size()), 1e-4) << target;
  }
  model.clear_ablation();
  EXPECT_EQ(logits_of(model, tokens, 2, 12), before);
}

TEST(Ablation, EveryHeadOfAOneLayerAttentionOnlyModelLeavesTheEmbeddings) {
  Gpt model = random_model(small_config(1, 0), 2);
  const auto tokens = random_tokens(2 * 12, 16, 3);
  // Heads zeroed: only the output projection's bias is left of the attention branch.
  model.set_ablation(Ablation::parse(Ablation::Mode::kZero, {"L0H0", "L0H1", "L0H2", "L0H3"}));
  expect_close(logits_of(model, tokens, 2, 12),
               unembed(model, embeddings(model, tokens, 12, model.weights().blocks[0].proj_b)),
               1e-4f);
  // The whole branch zeroed (bias too): the logits of the embeddings alone.
  model.set_ablation(Ablation::parse(Ablation::Mode::kZero, {"L0.attn"}));
  expect_close(logits_of(model, tokens, 2, 12),
               unembed(model, embeddings(model, tokens, 12, nullptr)), 1e-4f);
}

TEST(Ablation, MeanAblationPutsTheReferenceMeanInPlace) {
  Gpt model = random_model(small_config(2, 32), 4);
  const auto reference = random_tokens(4 * 12, 16, 4);
  Ablation a = Ablation::parse(Ablation::Mode::kMean, {"L1H1"});
  EXPECT_THROW(model.set_ablation(a), Error);  // no means measured yet
  a.measure_means(model, reference.data(), 4, 12);
  // The mean of head 1's output over the reference batch, computed here.
  const int C = 16, hs = 4;
  std::vector<double> mean(hs, 0.0);
  const float* atty = model.activations().blocks[1].atty;
  for (int n = 0; n < 48; ++n)
    for (int d = 0; d < hs; ++d) mean[static_cast<size_t>(d)] += atty[n * C + hs + d] / 48.0;
  model.set_ablation(a);
  const auto other = random_tokens(2 * 12, 16, 5);
  model.forward(other.data(), nullptr, 2, 12);
  const float* patched = model.activations().blocks[1].atty;
  for (int n = 0; n < 24; ++n)
    for (int d = 0; d < hs; ++d)
      ASSERT_NEAR(patched[n * C + hs + d], mean[static_cast<size_t>(d)], 1e-5);
}

TEST(Ablation, TheCachedDecoderSeesTheSameAblatedModel) {
  Gpt model = random_model(small_config(2, 32), 1);
  const auto tokens = random_tokens(12, 16, 6);
  model.set_ablation(Ablation::parse(Ablation::Mode::kZero, {"L0H1", "L1.mlp"}));
  const auto full = logits_of(model, tokens, 1, 12);
  KvDecoder decoder(model, 1);
  for (int t = 0; t < 12; ++t) {
    const int32_t position = t;
    const float* step = decoder.step(&tokens[static_cast<size_t>(t)], &position, 1);
    for (int v = 0; v < 16; ++v) ASSERT_NEAR(step[v], full[static_cast<size_t>(t * 16 + v)], 1e-4);
  }
}

TEST(Ablation, BadTargetsAndMisuseFailClearly) {
  Gpt model = random_model(small_config(2, 0), 1);
  auto message = [&](auto&& f) {
    try {
      f();
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message([&] { Ablation::parse(Ablation::Mode::kZero, {"head3"}); }).find("LxHy"),
            std::string::npos);
  EXPECT_NE(message([&] {
              model.set_ablation(Ablation::parse(Ablation::Mode::kZero, {"L2H0"}));
            }).find("layer 2 is outside 0..1"),
            std::string::npos);
  EXPECT_NE(message([&] {
              model.set_ablation(Ablation::parse(Ablation::Mode::kZero, {"L0H4"}));
            }).find("head 4 is outside 0..3"),
            std::string::npos);
  EXPECT_NE(message([&] {
              model.set_ablation(Ablation::parse(Ablation::Mode::kZero, {"L0.mlp"}));
            }).find("attention-only"),
            std::string::npos);
  EXPECT_NE(message([] { Ablation::parse_mode("half"); }).find("zero or mean"), std::string::npos);
  const auto tokens = random_tokens(12, 16, 7);
  model.set_ablation(Ablation::parse(Ablation::Mode::kZero, {"L0H0"}));
  model.forward(tokens.data(), tokens.data(), 1, 12);
  EXPECT_NE(message([&] { model.backward(); }).find("probing only"), std::string::npos);
}

}  // namespace
}  // namespace emlab::nn
