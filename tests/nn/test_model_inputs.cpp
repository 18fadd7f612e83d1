// The model refuses inputs it cannot represent, naming what is wrong.
#include <gtest/gtest.h>

#include <functional>
#include <vector>

#include "core/error.hpp"
#include "nn/gpt.hpp"
#include "support/error_message.hpp"

namespace emlab::nn {
namespace {

TEST(ModelInputs, BadSizesAndTokensAreRefused) {
  const ModelConfig c{.vocab_size = 5,
                      .context = 4,
                      .width = 8,
                      .layers = 1,
                      .heads = 2,
                      .mlp_width = 8,
                      .tied_embeddings = true};
  Gpt model(c, 2);
  std::vector<int32_t> tokens(16, 1), targets(16, 2);
  EXPECT_NE(testing::error_message([&] {
              model.forward(tokens.data(), targets.data(), 2, 8);
            }).find("sequence length: 8 is outside 1..4 (model.context)"),
            std::string::npos);
  EXPECT_NE(testing::error_message([&] {
              model.forward(tokens.data(), targets.data(), 3, 4);
            }).find("batch size: 3 is outside 1..2"),
            std::string::npos);
  tokens[5] = 5;
  EXPECT_NE(testing::error_message([&] {
              model.forward(tokens.data(), targets.data(), 2, 4);
            }).find("token id 5 at batch 1, position 1 is outside the vocabulary 0..4"),
            std::string::npos);
  tokens[5] = -2;
  EXPECT_NE(testing::error_message([&] {
              model.forward(tokens.data(), nullptr, 2, 4);
            }).find("token id -2"),
            std::string::npos);
  tokens[5] = 1;
  targets[0] = 9;
  EXPECT_NE(testing::error_message([&] {
              model.forward(tokens.data(), targets.data(), 2, 4);
            }).find("target id 9"),
            std::string::npos);
}

TEST(ModelInputs, InvalidConfigsNameTheField) {
  auto message = [](ModelConfig c) { return testing::error_message([&] { c.validate(); }); };
  ModelConfig c{.vocab_size = 5,
                .context = 4,
                .width = 8,
                .layers = 1,
                .heads = 3,
                .mlp_width = 8,
                .tied_embeddings = true};
  EXPECT_NE(message(c).find("model.width: 8 is not divisible by model.heads = 3"),
            std::string::npos);
  c.heads = 2;
  c.context = 0;
  EXPECT_NE(message(c).find("model.context: must be positive (got 0)"), std::string::npos);
  c.context = 4;
  c.mlp_width = -1;
  EXPECT_NE(message(c).find("model.mlp_width"), std::string::npos);
  c.mlp_width = 0;
  EXPECT_EQ(message(c), "(no error)");  // attention-only is valid
}

TEST(ModelInputs, AttentionProbabilitiesAreCausalAndNormalised) {
  const ModelConfig c{.vocab_size = 5,
                      .context = 6,
                      .width = 8,
                      .layers = 2,
                      .heads = 2,
                      .mlp_width = 0,
                      .tied_embeddings = false};
  Gpt model(c, 1);
  model.init_weights(1);
  std::vector<int32_t> tokens = {0, 1, 2, 3, 4, 0};
  model.forward(tokens.data(), nullptr, 1, 6);
  for (int layer = 0; layer < 2; ++layer) {
    const float* att = model.attention(layer);
    for (int h = 0; h < 2; ++h)
      for (int t = 0; t < 6; ++t) {
        double sum = 0;
        for (int t2 = 0; t2 < 6; ++t2) {
          const float a = att[(h * 6 + t) * 6 + t2];
          if (t2 > t) {
            EXPECT_EQ(a, 0.0f);
          }
          sum += a;
        }
        EXPECT_NEAR(sum, 1.0, 1e-5);
      }
  }
  EXPECT_NE(
      testing::error_message([&] { model.attention(2); }).find("attention layer 2 is outside 0..1"),
      std::string::npos);
}

}  // namespace
}  // namespace emlab::nn
