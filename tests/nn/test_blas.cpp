// The sgemm door against a double-precision triple loop, for every transpose combination, with
// leading dimensions wider than the matrices, at sizes that take both the direct and the
// thread-split paths.
#include <gtest/gtest.h>

#include <vector>

#include "core/rng.hpp"
#include "nn/blas.hpp"

namespace emlab::nn {
namespace {

TEST(Sgemm, MatchesNaiveProductForAllTransposesAndSplits) {
  Rng rng(11);
  struct Size {
    int M, N, K;
  };
  for (const Size s : {Size{3, 5, 4}, Size{200, 37, 64}, Size{33, 150, 17}, Size{128, 128, 96}}) {
    for (const Trans ta : {Trans::kNo, Trans::kYes}) {
      for (const Trans tb : {Trans::kNo, Trans::kYes}) {
        const int a_rows = ta == Trans::kNo ? s.M : s.K, a_cols = ta == Trans::kNo ? s.K : s.M;
        const int b_rows = tb == Trans::kNo ? s.K : s.N, b_cols = tb == Trans::kNo ? s.N : s.K;
        const int lda = a_cols + 3, ldb = b_cols + 5, ldc = s.N + 2;
        std::vector<float> A(static_cast<size_t>(a_rows) * lda),
            B(static_cast<size_t>(b_rows) * ldb);
        std::vector<float> C(static_cast<size_t>(s.M) * ldc);
        for (float& x : A) x = rng.uniform() - 0.5f;
        for (float& x : B) x = rng.uniform() - 0.5f;
        for (float& x : C) x = rng.uniform() - 0.5f;
        const std::vector<float> C0 = C;
        sgemm(ta, tb, s.M, s.N, s.K, 0.75f, A.data(), lda, B.data(), ldb, 0.5f, C.data(), ldc);
        for (int i = 0; i < s.M; ++i) {
          for (int j = 0; j < s.N; ++j) {
            double dot = 0;
            for (int k = 0; k < s.K; ++k) {
              const float a = ta == Trans::kNo ? A[i * lda + k] : A[k * lda + i];
              const float b = tb == Trans::kNo ? B[k * ldb + j] : B[j * ldb + k];
              dot += static_cast<double>(a) * b;
            }
            const double want = 0.75 * dot + 0.5 * C0[i * ldc + j];
            ASSERT_NEAR(C[i * ldc + j], want, 1e-4)
                << s.M << "x" << s.N << "x" << s.K << " at " << i << "," << j;
          }
          for (int j = s.N; j < ldc; ++j)  // padding beyond N is never written
            ASSERT_EQ(C[i * ldc + j], C0[i * ldc + j]);
        }
      }
    }
  }
}

}  // namespace
}  // namespace emlab::nn
