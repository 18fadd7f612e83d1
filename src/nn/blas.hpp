#pragma once
// The one door to matrix products: a row-major sgemm. Everything in nn/ multiplies matrices
// through here, so another BLAS (BLIS, libxsmm) or a GPU backend can be measured behind it.
namespace emlab::nn {

enum class Trans { kNo, kYes };

// C (M×N) = alpha · op(A) (M×K) · op(B) (K×N) + beta · C, all row-major with leading dimensions.
void sgemm(Trans trans_a, Trans trans_b, int M, int N, int K, float alpha, const float* A, int lda,
           const float* B, int ldb, float beta, float* C, int ldc);

// y (N) = alpha · Aᵀ x + beta · y for A (M×N) row-major: column sums when x is all ones.
void sgemv_transposed(int M, int N, float alpha, const float* A, int lda, const float* x,
                      float beta, float* y);

// Name and thread count of the BLAS library in use, for run records and benchmarks.
const char* blas_description();

}  // namespace emlab::nn
