// Every parameter tensor of the whole model against finite differences, over the shapes the
// studies use: attention-only, one layer, several heads, context 1, tied and untied output.
#include <gtest/gtest.h>

#include <vector>

#include "core/rng.hpp"
#include "gradient_check.hpp"
#include "nn/gpt.hpp"

namespace emlab::nn {
namespace {

struct Case {
  const char* name;
  ModelConfig config;
  int B, T;
};

std::vector<Case> cases() {
  // vocab, context, width, layers, heads, mlp_width, tied
  return {
      {"two_layers_tied", {7, 5, 8, 2, 2, 12, true}, 2, 5},
      {"untied", {7, 5, 8, 2, 2, 12, false}, 2, 4},
      {"attention_only", {6, 6, 8, 2, 2, 0, true}, 2, 6},
      {"one_layer", {5, 4, 6, 1, 1, 10, false}, 3, 4},
      {"four_heads", {9, 6, 16, 1, 4, 16, true}, 2, 6},
      {"context_one", {5, 1, 8, 2, 2, 8, false}, 3, 1},
  };
}

class ModelGradient : public ::testing::TestWithParam<Case> {};

TEST_P(ModelGradient, EveryParameterTensorMatchesFiniteDifferences) {
  const Case& tc = GetParam();
  Gpt model(tc.config, tc.B);
  // Larger than GPT-2's init, and applied to gains and biases too, so every path carries signal.
  Rng rng(7);
  for (float& p : model.parameters()) p = static_cast<float>(0.3 * rng.normal());
  const int n = tc.B * tc.T;
  std::vector<int32_t> tokens(static_cast<size_t>(n)), targets(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    tokens[static_cast<size_t>(i)] =
        static_cast<int32_t>(rng.below(static_cast<uint64_t>(tc.config.vocab_size)));
    targets[static_cast<size_t>(i)] =
        static_cast<int32_t>(rng.below(static_cast<uint64_t>(tc.config.vocab_size)));
  }
  targets[1 % n] = -1;  // an unscored position must contribute nothing

  model.zero_grad();
  model.forward(tokens.data(), targets.data(), tc.B, tc.T);
  model.backward();
  const std::vector<float> grads(model.gradients().begin(), model.gradients().end());
  auto loss = [&] { return model.forward(tokens.data(), targets.data(), tc.B, tc.T); };

  for (const TensorSpec& t : model.layout().tensors()) {
    std::vector<float> analytic(grads.begin() + t.offset, grads.begin() + t.offset + t.numel);
    if (t.name == "wpe.weight") {
      // Positions at or beyond T get no gradient; check only the rows in use.
      analytic.resize(static_cast<size_t>(tc.T * tc.config.width));
      testing::expect_gradient_matches(tc.name + std::string(" ") + t.name,
                                       model.parameters().data() + t.offset,
                                       static_cast<int64_t>(analytic.size()), analytic, loss);
      continue;
    }
    testing::expect_gradient_matches(tc.name + std::string(" ") + t.name,
                                     model.parameters().data() + t.offset, t.numel, analytic, loss);
  }
}

INSTANTIATE_TEST_SUITE_P(Shapes, ModelGradient, ::testing::ValuesIn(cases()),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

}  // namespace
}  // namespace emlab::nn
