#include <gtest/gtest.h>

#include <cmath>

#include "nn/adamw.hpp"
#include "train/gradient_norm.hpp"

namespace emlab::nn {
namespace {

TEST(AdamW, FirstStepsMatchHandComputedValuesAndDecayOnlyMatrices) {
  ModelConfig c{.vocab_size = 2,
                .context = 1,
                .width = 1,
                .layers = 1,
                .heads = 1,
                .mlp_width = 0,
                .tied_embeddings = true};
  ParameterLayout layout(c);
  AdamW opt(layout, {.beta1 = 0.9f, .beta2 = 0.99f, .eps = 1e-8f, .weight_decay = 0.5f});
  std::vector<float> p(static_cast<size_t>(layout.total()), 1.0f);
  std::vector<float> g(p.size(), 0.2f);
  opt.update(p, g, 0.1f, 1);
  // Step 1: m̂ = g, v̂ = g², update = lr·(g/|g| + λ·θ) = 0.1·(1 + 0.5) for matrices, 0.1 otherwise.
  const TensorSpec& wte = layout.find("wte.weight");
  const TensorSpec& bias = layout.find("h.0.attn.qkv.bias");
  EXPECT_NEAR(p[static_cast<size_t>(wte.offset)], 1.0f - 0.15f, 1e-6);
  EXPECT_NEAR(p[static_cast<size_t>(bias.offset)], 1.0f - 0.1f, 1e-6);
  // Step 2 with gradient -0.2: m = 0.9·0.02 - 0.02 = -0.002, m̂ = -0.002/0.19;
  // v = 0.99·0.0004 + 0.01·0.04 = 0.000796, v̂ = 0.000796/0.0199.
  std::fill(g.begin(), g.end(), -0.2f);
  opt.update(p, g, 0.1f, 2);
  const double m_hat = -0.002 / 0.19, v_hat = 0.000796 / 0.0199;
  const double adam = m_hat / (std::sqrt(v_hat) + 1e-8);
  EXPECT_NEAR(p[static_cast<size_t>(bias.offset)], 0.9 - 0.1 * adam, 1e-6);
  EXPECT_NEAR(p[static_cast<size_t>(wte.offset)], 0.85 - 0.1 * (adam + 0.5 * 0.85), 1e-6);
}

TEST(GradientNorm, MatchesDirectSumAndSeesNonFinite) {
  std::vector<float> v(1001);
  double expect = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    v[i] = static_cast<float>(std::sin(static_cast<double>(i)));
    expect += static_cast<double>(v[i]) * v[i];
  }
  EXPECT_NEAR(train::global_norm(v), std::sqrt(expect), 1e-9);
  v[500] = INFINITY;
  EXPECT_FALSE(std::isfinite(train::global_norm(v)));
}

}  // namespace
}  // namespace emlab::nn
