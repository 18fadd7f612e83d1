#include "nn/blas.hpp"

#include <cblas.h>

namespace emlab::nn {

namespace {
CBLAS_TRANSPOSE to_cblas(Trans t) { return t == Trans::kYes ? CblasTrans : CblasNoTrans; }
}  // namespace

void sgemm(Trans trans_a, Trans trans_b, int M, int N, int K, float alpha, const float* A, int lda,
           const float* B, int ldb, float beta, float* C, int ldc) {
  cblas_sgemm(CblasRowMajor, to_cblas(trans_a), to_cblas(trans_b), M, N, K, alpha, A, lda, B, ldb,
              beta, C, ldc);
}

void sgemv_transposed(int M, int N, float alpha, const float* A, int lda, const float* x,
                      float beta, float* y) {
  cblas_sgemv(CblasRowMajor, CblasTrans, M, N, alpha, A, lda, x, 1, beta, y, 1);
}

const char* blas_description() { return openblas_get_config(); }

}  // namespace emlab::nn
