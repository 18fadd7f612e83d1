// Each op's backward against finite differences of f = Σ r ⊙ forward(x) for a fixed random r,
// for every differentiable input: the per-op half of the gradient check.
#include <gtest/gtest.h>
#include <omp.h>

#include <numeric>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "gradient_check.hpp"
#include "nn/ops/fast_exp.hpp"
#include "nn/ops/ops.hpp"

namespace emlab::nn::ops {
namespace {

using testing::random_vector;
using testing::weighted_sum;

// Widths below one vector of 16 (scalar tail only), whole vectors (64), and both (40).
TEST(OpGradient, LayerNorm) {
  for (const int C : {12, 40, 64}) {
    Rng rng(static_cast<uint64_t>(C));
    const int N = 5;
    auto x = random_vector(rng, N * C, 2.0), w = random_vector(rng, C), b = random_vector(rng, C);
    auto r = random_vector(rng, N * C);
    std::vector<float> out(N * C), mean(N), rstd(N);
    auto f = [&] {
      layernorm_forward(out.data(), mean.data(), rstd.data(), x.data(), w.data(), b.data(), N, C);
      return weighted_sum(r, out.data());
    };
    f();
    std::vector<float> dx(N * C, 0.f), dw(C, 0.f), db(C, 0.f);
    layernorm_backward(dx.data(), dw.data(), db.data(), r.data(), x.data(), w.data(), mean.data(),
                       rstd.data(), N, C);
    const std::string width = ", width " + std::to_string(C);
    // f sums N·C float outputs, so its rounding moves the difference quotient by about
    // 1e-7·√(N·C)/eps, 2e-4 at width 64: entries under 1e-2 are left to the whole-vector check.
    testing::GradientTolerance tol;
    tol.entry_floor = C > 12 ? 1e-2 : tol.entry_floor;
    testing::expect_gradient_matches("layernorm dinp" + width, x.data(), N * C, dx, f, tol);
    testing::expect_gradient_matches("layernorm dweight" + width, w.data(), C, dw, f, tol);
    testing::expect_gradient_matches("layernorm dbias" + width, b.data(), C, db, f, tol);
  }
}

TEST(OpGradient, Linear) {
  Rng rng(2);
  const int N = 6, IC = 7, OC = 5;
  auto x = random_vector(rng, N * IC), w = random_vector(rng, OC * IC), b = random_vector(rng, OC);
  auto r = random_vector(rng, N * OC);
  std::vector<float> out(N * OC);
  auto f = [&] {
    linear_forward(out.data(), x.data(), w.data(), b.data(), N, IC, OC);
    return weighted_sum(r, out.data());
  };
  f();
  std::vector<float> dx(N * IC, 99.f), dw(OC * IC, 0.f), db(OC, 0.f);  // dx is overwritten
  linear_backward(dx.data(), dw.data(), db.data(), r.data(), x.data(), w.data(), N, IC, OC);
  testing::expect_gradient_matches("linear dinp", x.data(), N * IC, dx, f);
  testing::expect_gradient_matches("linear dweight", w.data(), OC * IC, dw, f);
  testing::expect_gradient_matches("linear dbias", b.data(), OC, db, f);
}

TEST(OpGradient, CausalAttention) {
  struct Shape {
    int B, T, C, H;
  };
  // T = 70 spans two 64-row blocks of the blocked products.
  for (const Shape shape :
       {Shape{2, 5, 8, 1}, Shape{2, 5, 8, 2}, Shape{2, 5, 8, 4}, Shape{1, 70, 4, 2}}) {
    const int B = shape.B, T = shape.T, C = shape.C, H = shape.H;
    Rng rng(static_cast<uint64_t>(3 + H + T));
    auto qkv = random_vector(rng, B * T * 3 * C);
    auto r = random_vector(rng, B * T * C);
    std::vector<float> out(B * T * C), att(B * H * T * T);
    auto f = [&] {
      attention_forward(out.data(), att.data(), qkv.data(), B, T, C, H);
      return weighted_sum(r, out.data());
    };
    f();
    const int threads = omp_get_max_threads();
    std::vector<float> dqkv(B * T * 3 * C, 99.f), scratch(threads * T * T);  // dqkv is overwritten
    attention_backward(dqkv.data(), r.data(), qkv.data(), att.data(), scratch.data(), threads, B, T,
                       C, H);
    testing::expect_gradient_matches(
        "attention dqkv, T " + std::to_string(T) + ", heads " + std::to_string(H), qkv.data(),
        B * T * 3 * C, dqkv, f);
  }
}

// Each query's attention is a distribution over the keys up to it and zero after, at lengths that
// fill the softmax's 16-wide chunks exactly (64), leave a scalar tail (20, 70) or fit no chunk (5).
TEST(OpGradient, CausalAttentionRowsAreDistributionsOverThePast) {
  for (const int T : {5, 20, 64, 70}) {
    const int B = 2, C = 8, H = 2;
    Rng rng(static_cast<uint64_t>(T));
    auto qkv = random_vector(rng, B * T * 3 * C, 3.0);
    std::vector<float> out(B * T * C), att(B * H * T * T, 99.f);
    attention_forward(out.data(), att.data(), qkv.data(), B, T, C, H);
    for (int bh = 0; bh < B * H; ++bh)
      for (int t = 0; t < T; ++t) {
        const float* row = att.data() + (int64_t{bh} * T + t) * T;
        double sum = 0;
        for (int t2 = 0; t2 <= t; ++t2) {
          EXPECT_GT(row[t2], 0.0f) << "T " << T << " query " << t << " key " << t2;
          sum += row[t2];
        }
        EXPECT_NEAR(sum, 1.0, 1e-5) << "T " << T << " query " << t;
        for (int t2 = t + 1; t2 < T; ++t2) ASSERT_EQ(row[t2], 0.0f) << "T " << T << " query " << t;
      }
  }
}

TEST(OpGradient, Gelu) {
  Rng rng(4);
  const int n = 40;
  auto x = random_vector(rng, n, 2.0), r = random_vector(rng, n);
  std::vector<float> out(n), slope(n);
  auto f = [&] {
    gelu_forward(out.data(), slope.data(), x.data(), n);
    return weighted_sum(r, out.data());
  };
  f();
  std::vector<float> dx(n, 99.f);
  gelu_backward(dx.data(), slope.data(), r.data(), n);
  testing::expect_gradient_matches("gelu dinp", x.data(), n, dx, f);
}

// The model keeps the slope in place of the pre-activation, and the gradient in place of the
// output's: both aliases give the same numbers as separate buffers.
TEST(OpGradient, GeluInPlaceMatchesSeparateBuffers) {
  Rng rng(6);
  const int n = 100;
  auto x = random_vector(rng, n, 2.0), d = random_vector(rng, n);
  std::vector<float> out(n), slope(n), dx(n);
  gelu_forward(out.data(), slope.data(), x.data(), n);
  gelu_backward(dx.data(), slope.data(), d.data(), n);
  std::vector<float> out2(n), in_place = x, d_in_place = d;
  gelu_forward(out2.data(), in_place.data(), in_place.data(), n);
  gelu_backward(d_in_place.data(), in_place.data(), d_in_place.data(), n);
  EXPECT_EQ(out2, out);
  EXPECT_EQ(in_place, slope);
  EXPECT_EQ(d_in_place, dx);
}

TEST(OpGradient, SoftmaxCrossEntropy) {
  Rng rng(5);
  const int N = 6, V = 7;
  auto logits = random_vector(rng, N * V, 2.0);
  std::vector<int32_t> targets = {0, 3, -1, 6, 2, 2};
  std::vector<float> probs(N * V), losses(N);
  int counted = 0;
  auto f = [&] {
    counted = softmax_cross_entropy_forward(probs.data(), losses.data(), logits.data(),
                                            targets.data(), N, V);
    return std::accumulate(losses.begin(), losses.end(), 0.0) / counted;
  };
  f();
  EXPECT_EQ(counted, 5);
  EXPECT_EQ(losses[2], 0.0f);
  std::vector<float> dlogits(N * V, 99.f);
  softmax_cross_entropy_backward(dlogits.data(), probs.data(), targets.data(), counted, N, V);
  testing::expect_gradient_matches("softmax cross-entropy dlogits", logits.data(), N * V, dlogits,
                                   f);
}

TEST(OpGradient, EncoderEmbeddings) {
  Rng rng(6);
  const int B = 2, T = 4, C = 5, V = 6;
  auto wte = random_vector(rng, V * C), wpe = random_vector(rng, T * C);
  auto r = random_vector(rng, B * T * C);
  std::vector<int32_t> tokens = {1, 1, 3, 0, 5, 1, 2, 2};  // repeats: rows must accumulate
  std::vector<float> out(B * T * C);
  auto f = [&] {
    encoder_forward(out.data(), tokens.data(), wte.data(), wpe.data(), B, T, C);
    return weighted_sum(r, out.data());
  };
  std::vector<float> dwte(V * C, 0.f), dwpe(T * C, 0.f);
  encoder_backward(dwte.data(), dwpe.data(), r.data(), tokens.data(), B, T, C);
  // Token 4 never occurs: its rows have zero gradient, which the finite differences confirm.
  testing::expect_gradient_matches("encoder dwte", wte.data(), V * C, dwte, f);
  testing::expect_gradient_matches("encoder dwpe", wpe.data(), T * C, dwpe, f);
}

}  // namespace
}  // namespace emlab::nn::ops

namespace emlab::nn::ops {
namespace {

TEST(FastMath, ExpMatchesLibmToAFewUlps) {
  double worst = 0;
  for (float x = -87.0f; x <= 88.0f; x += 0.0137f) {
    const double want = std::exp(static_cast<double>(x));
    worst = std::max(worst, std::abs(fast_exp(x) - want) / want);
  }
  EXPECT_LT(worst, 5e-7);
  EXPECT_EQ(fast_exp(-1000.0f), fast_exp(-87.0f));  // clamped, never denormal or NaN
  EXPECT_TRUE(std::isfinite(fast_exp(1000.0f)));
  EXPECT_TRUE(std::isnan(fast_exp(NAN)));  // divergence must not be hidden
}

// The vector instantiation (softmax rows) is the same function, lane by lane, NaN included.
TEST(FastMath, ExpOnSixteenLanesMatchesExpOnOneFloat) {
  double worst = 0;
  for (float x0 = -90.0f; x0 <= 90.0f; x0 += 16 * 0.0137f) {
    FloatLanes x;
    for (int l = 0; l < kLanes; ++l) x[l] = x0 + 0.0137f * static_cast<float>(l);
    const FloatLanes y = fast_exp(x);
    for (int l = 0; l < kLanes; ++l) {
      const double one = fast_exp(x[l]);
      worst = std::max(worst, std::abs(y[l] - one) / one);
    }
  }
  EXPECT_LT(worst, 2e-7);  // at most a rounding apart, where the compiler fuses differently
  FloatLanes odd = {};
  odd[3] = NAN;
  odd[5] = -1000.0f;
  const FloatLanes y = fast_exp(odd);
  EXPECT_TRUE(std::isnan(y[3]));
  EXPECT_EQ(y[5], fast_exp(-87.0f));
  EXPECT_EQ(y[0], 1.0f);
}

TEST(FastMath, GeluMatchesTheTanhFormula) {
  std::vector<float> x, out;
  for (float v = -8.0f; v <= 8.0f; v += 0.01f) x.push_back(v);
  out.resize(x.size());
  std::vector<float> slope(x.size());
  gelu_forward(out.data(), slope.data(), x.data(), static_cast<int64_t>(x.size()));
  for (size_t i = 0; i < x.size(); ++i) {
    const double v = x[i];
    const double want = 0.5 * v * (1 + std::tanh(0.7978845608028654 * (v + 0.044715 * v * v * v)));
    ASSERT_NEAR(out[i], want, 2e-6 * std::max(1.0, std::abs(want))) << "x = " << v;
  }
}

}  // namespace
}  // namespace emlab::nn::ops
