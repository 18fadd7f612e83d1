#pragma once
// emlab's own single-threaded sgemm for CPUs with AVX-512, used by nn/blas.cpp in place of
// OpenBLAS where the build targets AVX-512 (EMLAB_NATIVE on such a CPU). Debian's OpenBLAS 0.3.21
// is kept on its AVX2 (Haswell) kernels on recent AMD and Intel CPUs, where its own AVX-512
// kernels are not trusted; these run 512-bit FMAs with a fixed summation order (bit-reproducible
// for a given split of C). docs/performance.md has the measurements that chose it.
#include "nn/blas.hpp"

namespace emlab::nn {

// True when this build was compiled with AVX-512F, so gemm_avx512 does the work.
bool gemm_avx512_compiled();

// C (M×N) = alpha · op(A) · op(B) + beta · C (+ bias, N values added to every row, where given),
// row-major, on the calling thread; the contract of nn::sgemm (C is not read when beta is 0).
// a_sums (M values), where given, gets op(A)'s row sums added (A transposed only). Throws
// emlab::Error if the build lacks AVX-512.
void gemm_avx512(Trans trans_a, Trans trans_b, int M, int N, int K, float alpha, const float* A,
                 int lda, const float* B, int ldb, float beta, float* C, int ldc,
                 const float* bias = nullptr, float* a_sums = nullptr);

}  // namespace emlab::nn
