#pragma once
// The one door to matrix products: a row-major sgemm. Every matrix-matrix product in nn/ (linear
// layers, full attention and their gradients) goes through here, so another BLAS (BLIS, libxsmm)
// or a GPU backend can be measured behind it. The one exception is the cached decoding step's
// attention (ops/attention_step.cpp): matrix-vector products of a few dozen floats per head,
// written out so that generation keeps its summation order; that file says why.
namespace emlab::nn {

enum class Trans { kNo, kYes };

// C (M×N) = alpha · op(A) (M×K) · op(B) (K×N) + beta · C, all row-major with leading dimensions.
void sgemm(Trans trans_a, Trans trans_b, int M, int N, int K, float alpha, const float* A, int lda,
           const float* B, int ldb, float beta, float* C, int ldc);

// C (M×N) = op(A) · op(B) + bias, the N values of bias added to every row as the product is
// stored: a linear layer's forward pass in one pass over C (no copy of the bias first).
void sgemm_bias(Trans trans_a, Trans trans_b, int M, int N, int K, const float* A, int lda,
                const float* B, int ldb, const float* bias, float* C, int ldc);

// C (M×N) += Aᵀ · B for A (K×M), and sums (M, where not null) += the column sums of A: a linear
// layer's weight and bias gradients (A its output gradient, B its input) from one pass over A.
// Each sum runs over the rows in blocks of 256 in order, whatever the split over threads.
void sgemm_weight_gradient(int M, int N, int K, const float* A, int lda, const float* B, int ldb,
                           float* C, int ldc, float* sums);
// Debian's OpenBLAS picks its kernels when it is loaded, and version 0.3.21 does not recognise
// recent CPUs: it falls back to the SSE3 "Prescott" kernels, 3-8x slower. When that happened and
// OPENBLAS_CORETYPE is unset, this sets OPENBLAS_CORETYPE=Haswell (AVX2, the choice this machine
// family is known to compute correctly with) and re-executes the program; otherwise it returns.
// Call it first thing in main().
void select_blas_kernels(char** argv);

// OpenBLAS takes a 128 MiB work buffer for each thread on its first product there, and when that
// allocation fails (under an address-space limit, `ulimit -v`) it retries forever: the process
// hangs instead of failing. This checks that room for the buffers of `threads` threads exists,
// then makes every OpenMP thread take its buffer now, so that later allocations that fail are
// ours and raise std::bad_alloc. Throws emlab::Error naming the limit when there is no room.
void reserve_blas_buffers(int threads);

// True when sgemm runs emlab's AVX-512 product (nn/gemm_avx512.hpp), false when OpenBLAS's.
// EMLAB_GEMM=openblas chooses OpenBLAS; an EMLAB_GEMM other than auto, avx512 (where the build has
// it) or openblas is refused by select_blas_kernels.
bool sgemm_is_own();

// The single-threaded products sgemm can run, called directly so that `emlab bench gemm` can time
// them side by side. kAvx512 throws emlab::Error where the build has no AVX-512.
enum class GemmBackend { kOpenBlas, kAvx512 };
void sgemm_on_this_thread(GemmBackend backend, Trans trans_a, Trans trans_b, int M, int N, int K,
                          float alpha, const float* A, int lda, const float* B, int ldb, float beta,
                          float* C, int ldc);

// Name and thread count of the BLAS library in use, for run records and benchmarks.
const char* blas_description();

}  // namespace emlab::nn
