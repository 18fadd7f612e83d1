// The vector path of attention (heads of 16-64 channels, contexts a multiple of 16) against the
// sgemm path on the same inputs, and against finite differences.
#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "gradient_check.hpp"
#include "nn/blas.hpp"
#include "nn/ops/attention_heads.hpp"
#include "nn/ops/ops.hpp"

namespace emlab::nn::ops {
namespace {

using testing::random_vector;

struct Shape {
  int B, T, C, H;
  std::string name() const {
    return "B " + std::to_string(B) + " T " + std::to_string(T) + " C " + std::to_string(C) +
           " H " + std::to_string(H);
  }
};

TEST(AttentionHeads, FitWhereHeadsAreWholeVectorsAndTheContextWholeChunks) {
  EXPECT_TRUE(attention_heads_fit(16, 64));
  EXPECT_TRUE(attention_heads_fit(32, 128));
  EXPECT_TRUE(attention_heads_fit(64, 16));
  EXPECT_FALSE(attention_heads_fit(8, 64));    // half a vector
  EXPECT_FALSE(attention_heads_fit(24, 64));   // one and a half
  EXPECT_FALSE(attention_heads_fit(128, 64));  // more registers than a pair's sums may take
  EXPECT_FALSE(attention_heads_fit(16, 70));   // a context that ends inside a chunk
}

// Both paths sum each product in the same order and scale once, so with emlab's sgemm they agree to
// the bit (a zero's sign aside, which == ignores); with OpenBLAS's (EMLAB_GEMM=openblas), to
// rounding. Head widths of one to four vectors, contexts of one chunk, of one sgemm block and two.
void expect_same(const std::vector<float>& got, const std::vector<float>& want,
                 const std::string& what) {
  if (sgemm_is_own()) {
    EXPECT_EQ(got, want) << what;
    return;
  }
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t i = 0; i < got.size(); ++i)
    ASSERT_NEAR(got[i], want[i], 1e-5 * (1 + std::fabs(want[i]))) << what << " [" << i << "]";
}

TEST(AttentionHeads, GiveTheBitsOfTheSgemmPath) {
  for (const Shape s : {Shape{2, 16, 32, 2}, Shape{3, 64, 64, 4}, Shape{2, 64, 96, 2},
                        Shape{2, 128, 128, 4}, Shape{1, 48, 128, 2}, Shape{2, 32, 192, 4}}) {
    ASSERT_TRUE(attention_heads_fit(s.C / s.H, s.T)) << s.name();
    Rng rng(static_cast<uint64_t>(s.T * 7 + s.C));
    const int64_t N = int64_t{s.B} * s.T;
    auto qkv = random_vector(rng, N * 3 * s.C, 2.0), dout = random_vector(rng, N * s.C);
    const size_t att_size = static_cast<size_t>(s.B) * s.H * s.T * s.T;
    std::vector<float> out(N * s.C), att(att_size, 7.f), out_ref(out.size()),
        att_ref(att_size, -7.f);
    attention_forward(out.data(), att.data(), qkv.data(), s.B, s.T, s.C, s.H);
    attention_forward(out_ref.data(), att_ref.data(), qkv.data(), s.B, s.T, s.C, s.H,
                      AttentionKernel::kSgemm);
    expect_same(out, out_ref, "out, " + s.name());
    expect_same(att, att_ref, "att, " + s.name());

    const int threads = omp_get_max_threads();
    std::vector<float> scratch(static_cast<size_t>(threads) * s.T * s.T, 5.f);
    std::vector<float> dqkv(qkv.size(), 99.f), dqkv_ref(qkv.size(), -99.f);
    attention_backward(dqkv.data(), dout.data(), qkv.data(), att.data(), scratch.data(), threads,
                       s.B, s.T, s.C, s.H);
    attention_backward(dqkv_ref.data(), dout.data(), qkv.data(), att.data(), scratch.data(),
                       threads, s.B, s.T, s.C, s.H, AttentionKernel::kSgemm);
    expect_same(dqkv, dqkv_ref, "dqkv, " + s.name());
  }
}

// The smallest shapes the path takes still sum 256-1,024 float outputs into f, whose rounding moves
// the difference quotient by about 1e-4: entries under 1e-2 are left to the whole-vector check.
TEST(AttentionHeads, GradientMatchesFiniteDifferences) {
  testing::GradientTolerance tol;
  tol.entry_floor = 1e-2;
  for (const Shape s : {Shape{1, 16, 16, 1}, Shape{1, 32, 32, 2}}) {
    Rng rng(static_cast<uint64_t>(11 + s.T));
    const int64_t N = int64_t{s.B} * s.T;
    auto qkv = random_vector(rng, N * 3 * s.C), r = random_vector(rng, N * s.C);
    std::vector<float> out(N * s.C), att(static_cast<size_t>(s.B) * s.H * s.T * s.T);
    auto f = [&] {
      attention_forward(out.data(), att.data(), qkv.data(), s.B, s.T, s.C, s.H);
      return testing::weighted_sum(r, out.data());
    };
    f();
    std::vector<float> scratch(static_cast<size_t>(omp_get_max_threads()) * s.T * s.T);
    std::vector<float> dqkv(qkv.size(), 99.f);
    attention_backward(dqkv.data(), r.data(), qkv.data(), att.data(), scratch.data(),
                       omp_get_max_threads(), s.B, s.T, s.C, s.H);
    testing::expect_gradient_matches("attention dqkv, " + s.name(), qkv.data(),
                                     static_cast<int64_t>(qkv.size()), dqkv, f, tol);
  }
}

}  // namespace
}  // namespace emlab::nn::ops
