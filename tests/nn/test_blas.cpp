// The sgemm door against a double-precision triple loop, for every transpose combination, with
// leading dimensions wider than the matrices, at sizes that take both the direct and the
// thread-split paths; and emlab's AVX-512 product on its own at every edge of its blocking.
#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "nn/blas.hpp"
#include "nn/gemm_avx512.hpp"

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

// Operands of one product, with leading dimensions wider than the matrices.
struct Product {
  Trans ta, tb;
  int M, N, K, lda, ldb, ldc;
  std::vector<float> A, B, C;

  Product(Trans ta_, Trans tb_, int M_, int N_, int K_, Rng& rng)
      : ta(ta_), tb(tb_), M(M_), N(N_), K(K_) {
    const int a_rows = ta == Trans::kNo ? M : K, a_cols = ta == Trans::kNo ? K : M;
    const int b_rows = tb == Trans::kNo ? K : N, b_cols = tb == Trans::kNo ? N : K;
    lda = a_cols + 3, ldb = b_cols + 1, ldc = N + 5;
    A.resize(static_cast<size_t>(a_rows) * lda);
    B.resize(static_cast<size_t>(b_rows) * ldb);
    C.resize(static_cast<size_t>(M) * ldc);
    for (float& x : A) x = rng.uniform() - 0.5f;
    for (float& x : B) x = rng.uniform() - 0.5f;
    for (float& x : C) x = rng.uniform() - 0.5f;
  }
  float a(int i, int k) const { return ta == Trans::kNo ? A[i * lda + k] : A[k * lda + i]; }
  float b(int k, int j) const { return tb == Trans::kNo ? B[k * ldb + j] : B[j * ldb + k]; }
};

// Checks C = alpha op(A) op(B) + beta C0 in double precision, and C's padding untouched.
void expect_product(const Product& p, const std::vector<float>& C0, float alpha, float beta) {
  for (int i = 0; i < p.M; ++i) {
    for (int j = 0; j < p.N; ++j) {
      double dot = 0, size = 0;
      for (int k = 0; k < p.K; ++k) {
        dot += static_cast<double>(p.a(i, k)) * p.b(k, j);
        size += std::fabs(static_cast<double>(p.a(i, k)) * p.b(k, j));
      }
      const double want = alpha * dot + (beta == 0.0f ? 0.0 : beta * C0[i * p.ldc + j]);
      ASSERT_NEAR(p.C[i * p.ldc + j], want, 1e-6 * (size + 1))
          << p.M << "x" << p.N << "x" << p.K << " at " << i << "," << j;
    }
    for (int j = p.N; j < p.ldc; ++j) ASSERT_EQ(p.C[i * p.ldc + j], C0[i * p.ldc + j]);
  }
}

// Sizes on each side of the kernel's tiles (12 rows, 16 and 32 columns), its blocks of k (256)
// and of columns (512), and the degenerate ones.
TEST(GemmAvx512, MatchesNaiveProductAtEveryEdgeOfItsBlocking) {
  if (!gemm_avx512_compiled()) GTEST_SKIP() << "this build has no AVX-512 (EMLAB_NATIVE off?)";
  Rng rng(5);
  struct Size {
    int M, N, K;
  };
  for (const Size s :
       {Size{1, 1, 1}, Size{12, 32, 8}, Size{13, 17, 5}, Size{11, 16, 31}, Size{25, 33, 256},
        Size{7, 48, 257}, Size{30, 530, 40}, Size{5, 3, 600}, Size{64, 64, 16}, Size{64, 16, 64}}) {
    for (const Trans ta : {Trans::kNo, Trans::kYes}) {
      for (const Trans tb : {Trans::kNo, Trans::kYes}) {
        for (const float beta : {0.0f, 1.0f, -0.5f}) {
          Product p(ta, tb, s.M, s.N, s.K, rng);
          if (beta == 0.0f)  // C is not read: NaN there must not reach the result
            for (int i = 0; i < p.M; ++i)
              for (int j = 0; j < p.N; ++j)
                p.C[i * p.ldc + j] = std::numeric_limits<float>::quiet_NaN();
          const std::vector<float> C0 = p.C;
          gemm_avx512(ta, tb, p.M, p.N, p.K, 1.25f, p.A.data(), p.lda, p.B.data(), p.ldb, beta,
                      p.C.data(), p.ldc);
          expect_product(p, C0, 1.25f, beta);
        }
      }
    }
  }
}

TEST(GemmAvx512, EmptySumsScaleC) {
  if (!gemm_avx512_compiled()) GTEST_SKIP() << "this build has no AVX-512";
  std::vector<float> C = {1, 2, 3, 4}, A(4, std::numeric_limits<float>::quiet_NaN());
  gemm_avx512(Trans::kNo, Trans::kNo, 2, 2, 0, 1.0f, A.data(), 1, A.data(), 2, 0.5f, C.data(), 2);
  EXPECT_EQ(C, (std::vector<float>{0.5f, 1, 1.5f, 2}));
  gemm_avx512(Trans::kNo, Trans::kNo, 2, 2, 0, 1.0f, A.data(), 1, A.data(), 2, 0.0f, C.data(), 2);
  EXPECT_EQ(C, (std::vector<float>(4, 0.0f)));
}

// Each element's sum runs in the same order wherever the thread split falls, so the door's
// products are bit-identical on 1 and 2 threads and equal to one call of the kernel.
TEST(GemmAvx512, ProductsDoNotDependOnTheThreadSplit) {
  if (!sgemm_is_own()) GTEST_SKIP() << "sgemm runs OpenBLAS here (no AVX-512, or EMLAB_GEMM)";
  Rng rng(9);
  const int threads = omp_get_max_threads();
  for (const Trans ta : {Trans::kNo, Trans::kYes}) {
    for (const Trans tb : {Trans::kNo, Trans::kYes}) {
      Product p(ta, tb, 200, 70, 300, rng), q = p, r = p;  // rows split; 70 wide
      Product w(ta, tb, 40, 300, 90, rng), x = w, y = w;   // columns split
      omp_set_num_threads(1);
      sgemm(ta, tb, p.M, p.N, p.K, 1.0f, p.A.data(), p.lda, p.B.data(), p.ldb, 0.5f, p.C.data(),
            p.ldc);
      sgemm(ta, tb, w.M, w.N, w.K, 1.0f, w.A.data(), w.lda, w.B.data(), w.ldb, 0.5f, w.C.data(),
            w.ldc);
      omp_set_num_threads(2);
      sgemm(ta, tb, q.M, q.N, q.K, 1.0f, q.A.data(), q.lda, q.B.data(), q.ldb, 0.5f, q.C.data(),
            q.ldc);
      sgemm(ta, tb, x.M, x.N, x.K, 1.0f, x.A.data(), x.lda, x.B.data(), x.ldb, 0.5f, x.C.data(),
            x.ldc);
      gemm_avx512(ta, tb, r.M, r.N, r.K, 1.0f, r.A.data(), r.lda, r.B.data(), r.ldb, 0.5f,
                  r.C.data(), r.ldc);
      gemm_avx512(ta, tb, y.M, y.N, y.K, 1.0f, y.A.data(), y.lda, y.B.data(), y.ldb, 0.5f,
                  y.C.data(), y.ldc);
      EXPECT_EQ(p.C, q.C);
      EXPECT_EQ(p.C, r.C);
      EXPECT_EQ(w.C, x.C);
      EXPECT_EQ(w.C, y.C);
    }
  }
  omp_set_num_threads(threads);
}

// A linear layer's forward pass adds its bias as the product is stored: the same bits as the
// product with beta 1 over a C that holds the bias (the way it was computed before), on every
// path (k in several blocks, columns past 512, rows or columns split over threads).
TEST(SgemmBias, AddsTheBiasAsAProductOverTheBiasWould) {
  Rng rng(17);
  const int threads = omp_get_max_threads();
  omp_set_num_threads(2);  // the split paths, rows and columns, on any runner
  struct Size {
    int M, N, K;
  };
  for (const Size s : {Size{5, 3, 4}, Size{200, 37, 64}, Size{40, 530, 300}, Size{2048, 64, 64}}) {
    Product p(Trans::kNo, Trans::kYes, s.M, s.N, s.K, rng);
    std::vector<float> bias(s.N);
    for (float& b : bias) b = rng.uniform() - 0.5f;
    std::vector<float> fused = p.C, reference = p.C;
    for (int i = 0; i < s.M; ++i)
      std::copy(bias.begin(), bias.end(), reference.begin() + i * p.ldc);
    sgemm(p.ta, p.tb, s.M, s.N, s.K, 1.0f, p.A.data(), p.lda, p.B.data(), p.ldb, 1.0f,
          reference.data(), p.ldc);
    sgemm_bias(p.ta, p.tb, s.M, s.N, s.K, p.A.data(), p.lda, p.B.data(), p.ldb, bias.data(),
               fused.data(), p.ldc);
    EXPECT_EQ(fused, reference) << s.M << "x" << s.N << "x" << s.K;
  }
  omp_set_num_threads(threads);
}

// A linear layer's weight and bias gradients in one pass: C += Aᵀ·B and the column sums of A,
// against double-precision loops, for splits by rows (M ≥ N) and by columns (M < N), sums over one
// and several blocks of 256 rows, widths on each side of the 16-lane vectors; and the same bits on
// 1 and 2 threads where emlab's product runs (the sums belong to one part whatever the split).
TEST(SgemmWeightGradient, AddsTheProductAndTheColumnSumsOfA) {
  Rng rng(13);
  const int threads = omp_get_max_threads();
  struct Shape {
    int M, N, K;
  };
  for (const Shape s : {Shape{1, 1, 1}, Shape{17, 64, 37}, Shape{64, 256, 700},
                        Shape{192, 64, 2048}, Shape{33, 20, 300}, Shape{256, 64, 513}}) {
    const int lda = s.M + 3, ldb = s.N + 1, ldc = s.N + 2;
    std::vector<float> A(static_cast<size_t>(s.K) * lda), B(static_cast<size_t>(s.K) * ldb);
    for (float& v : A) v = rng.uniform() - 0.5f;
    for (float& v : B) v = rng.uniform() - 0.5f;
    std::vector<float> C(static_cast<size_t>(s.M) * ldc, 0.25f), sums(s.M + 1, 0.5f);
    std::vector<float> C2 = C, sums2 = sums;
    omp_set_num_threads(1);
    sgemm_weight_gradient(s.M, s.N, s.K, A.data(), lda, B.data(), ldb, C.data(), ldc, sums.data());
    omp_set_num_threads(2);
    sgemm_weight_gradient(s.M, s.N, s.K, A.data(), lda, B.data(), ldb, C2.data(), ldc,
                          sums2.data());
    omp_set_num_threads(threads);
    const std::string shape =
        std::to_string(s.M) + "x" + std::to_string(s.N) + "x" + std::to_string(s.K);
    for (int i = 0; i < s.M; ++i) {
      double sum = 0, size = 0;
      for (int k = 0; k < s.K; ++k) {
        sum += A[static_cast<size_t>(k) * lda + i];
        size += std::fabs(A[static_cast<size_t>(k) * lda + i]);
      }
      ASSERT_NEAR(sums[i], 0.5 + sum, 1e-6 * (size + 1)) << shape << " sum " << i;
      for (int j = 0; j < s.N; ++j) {
        double dot = 0, dot_size = 0;
        for (int k = 0; k < s.K; ++k) {
          const double term = static_cast<double>(A[static_cast<size_t>(k) * lda + i]) *
                              B[static_cast<size_t>(k) * ldb + j];
          dot += term;
          dot_size += std::fabs(term);
        }
        ASSERT_NEAR(C[static_cast<size_t>(i) * ldc + j], 0.25 + dot, 1e-6 * (dot_size + 1))
            << shape << " C(" << i << ", " << j << ")";
      }
    }
    EXPECT_EQ(sums[s.M], 0.5f) << shape;  // past the last: untouched
    if (sgemm_is_own()) {
      EXPECT_EQ(sums2, sums) << shape;
      EXPECT_EQ(C2, C) << shape;
    }
  }
  std::vector<float> A(8, 1.0f), C(4, 0.0f);  // no sums asked for: none written
  sgemm_weight_gradient(2, 2, 2, A.data(), 2, A.data(), 2, C.data(), 2, nullptr);
  EXPECT_EQ(C, std::vector<float>(4, 2.0f));
}

}  // namespace
}  // namespace emlab::nn
