// The products `emlab bench gemm` times are the ones a training step runs, and the timing
// compares two real backends on the same operands.
#include <gtest/gtest.h>

#include "nn/gemm_avx512.hpp"
#include "train/gemm_bench.hpp"
#include "train/throughput.hpp"

namespace emlab::train {
namespace {

TEST(GemmBench, StepProductsOfTinyAreTheTrainersProducts) {
  nn::ModelConfig tiny;  // vocabulary 32, context 64, width 64, 2 layers, 4 heads, MLP 256
  const auto products = step_products(tiny, 32);
  // qkv, proj, fc, fc proj, output; its 16-channel heads take attention's vector path, no sgemm
  ASSERT_EQ(products.size(), 5u * 3);
  const auto& qkv = products[0];
  EXPECT_EQ(qkv.role, "attn.qkv forward");
  EXPECT_EQ(qkv.trans_b, nn::Trans::kYes);
  EXPECT_EQ(qkv.M, 32 * 64);
  EXPECT_EQ(qkv.N, 192);
  EXPECT_EQ(qkv.K, 64);
  EXPECT_EQ(qkv.per_step, 2);
  const auto& weight_grad = products[2];
  EXPECT_EQ(weight_grad.trans_a, nn::Trans::kYes);
  EXPECT_EQ(weight_grad.M, 192);
  EXPECT_EQ(weight_grad.K, 2048);
  // By hand: matmul weights 2 × (3·64² + 64² + 2·64·256) + 32·64 = 100,352; three products of
  // 2 FLOPs per weight per token over 2,048 tokens.
  double linear_flops = 0;
  for (size_t i = 0; i < 15; ++i) {
    const auto& p = products[i];
    linear_flops += 2.0 * p.M * p.N * static_cast<double>(p.K) * p.per_step;
  }
  EXPECT_DOUBLE_EQ(linear_flops, 6.0 * 2048 * 100352);
}

// Heads of 8 channels run attention through sgemm: one block of 64 query rows at context 64, and
// over longer contexts block by block, each block's queries seeing keys up to its end and its keys
// seen by the queries from its start on.
TEST(GemmBench, AttentionOnSgemmIsListedBlockByBlock) {
  nn::ModelConfig narrow_heads;
  narrow_heads.heads = 8;
  const auto short_products = step_products(narrow_heads, 32);
  ASSERT_EQ(short_products.size(), 5u * 3 + 3);
  const auto& scores = short_products[15];
  EXPECT_EQ(scores.role, "attention scores");
  EXPECT_EQ(scores.M, 64);
  EXPECT_EQ(scores.N, 64);
  EXPECT_EQ(scores.K, 8);
  EXPECT_EQ(scores.per_step, 2 * 32 * 8 * 2);  // forward and backward, per (sequence, head, layer)

  narrow_heads.context = 128;
  const auto products = step_products(narrow_heads, 4);
  ASSERT_EQ(products.size(), 5u * 3 + 2 * 3);
  const auto& late_scores = products[18];
  EXPECT_EQ(late_scores.role, "attention scores (rows 64-127)");
  EXPECT_EQ(late_scores.M, 64);
  EXPECT_EQ(late_scores.N, 128);
  const auto& early_key_grads = products[17];
  EXPECT_EQ(early_key_grads.role, "attention key grads (rows 0-63)");
  EXPECT_EQ(early_key_grads.K, 128);
  EXPECT_EQ(products[20].K, 64);
}

TEST(GemmBench, TimesBothBackendsOnTheSameOperands) {
  nn::ModelConfig small;
  small.width = 32, small.heads = 4, small.mlp_width = 64, small.context = 16, small.layers = 1;
  const auto timings = time_step_products(step_products(small, 2), 0.0);
  ASSERT_EQ(timings.size(), 18u);  // 8-channel heads: attention's three kinds on sgemm too
  for (const auto& t : timings) {
    EXPECT_GT(t.openblas_gflops, 0) << t.product.role;
    if (nn::gemm_avx512_compiled()) {
      EXPECT_GT(t.own_gflops, 0) << t.product.role;
      EXPECT_LT(t.largest_difference, 1e-4) << t.product.role;
    } else {
      EXPECT_EQ(t.own_gflops, 0);
    }
  }
}

}  // namespace
}  // namespace emlab::train
