#include "nn/blas.hpp"

#include <cblas.h>
#include <omp.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "nn/gemm_avx512.hpp"

namespace emlab::nn {

namespace {
CBLAS_TRANSPOSE to_cblas(Trans t) {
  return t == Trans::kYes ? CblasTrans : CblasNoTrans;
}

enum class GemmChoice { kOwn, kOpenBlas, kInvalid };

// EMLAB_GEMM: unset or "auto" takes emlab's AVX-512 product where the build has it, "openblas"
// forces OpenBLAS (to compare, or to reproduce a run made with it). Read once.
GemmChoice gemm_choice() {
  static const GemmChoice choice = [] {
    const char* v = std::getenv("EMLAB_GEMM");
    const std::string want = v == nullptr ? "auto" : v;
    if (want == "openblas") return GemmChoice::kOpenBlas;
    if (want == "auto" || want.empty()) {
      return gemm_avx512_compiled() ? GemmChoice::kOwn : GemmChoice::kOpenBlas;
    }
    if (want == "avx512" && gemm_avx512_compiled()) return GemmChoice::kOwn;
    return GemmChoice::kInvalid;
  }();
  return choice;
}

// One single-threaded product on the calling thread, by the chosen backend; bias (N values, or
// nullptr) is added to every row of C, by OpenBLAS as the initial C of a product with beta 1;
// a_sums (M values, or nullptr; A transposed) gets op(A)'s row sums added.
void sgemm_block(Trans trans_a, Trans trans_b, int M, int N, int K, float alpha, const float* A,
                 int lda, const float* B, int ldb, float beta, float* C, int ldc, const float* bias,
                 float* a_sums) {
  if (gemm_choice() == GemmChoice::kOwn) {
    gemm_avx512(trans_a, trans_b, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, bias, a_sums);
    return;
  }
  if (bias != nullptr) {  // the linear layers' forward pass: beta is 0 there
    for (int i = 0; i < M; ++i) std::memcpy(C + int64_t{i} * ldc, bias, sizeof(float) * N);
    beta = 1.0f;
  }
  cblas_sgemm(CblasRowMajor, to_cblas(trans_a), to_cblas(trans_b), M, N, K, alpha, A, lda, B, ldb,
              beta, C, ldc);
  if (a_sums != nullptr)  // op(A) = Aᵀ: row i of op(A) is column i of A (K rows)
    for (int k = 0; k < K; ++k)
      for (int i = 0; i < M; ++i) a_sums[i] += A[int64_t{k} * lda + i];
}

}  // namespace

void sgemm_on_this_thread(GemmBackend backend, Trans trans_a, Trans trans_b, int M, int N, int K,
                          float alpha, const float* A, int lda, const float* B, int ldb, float beta,
                          float* C, int ldc) {
  if (backend == GemmBackend::kAvx512) {
    gemm_avx512(trans_a, trans_b, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
  } else {
    cblas_sgemm(CblasRowMajor, to_cblas(trans_a), to_cblas(trans_b), M, N, K, alpha, A, lda, B, ldb,
                beta, C, ldc);
  }
}

namespace {

// Splits C into one block of rows (or columns, whichever dimension is longer) per OpenMP thread
// and runs a single-threaded product on each (emlab's AVX-512 one, or OpenBLAS): for the mid-sized
// products of small transformers this beats OpenBLAS's own threading, whose synchronisation
// (sched_yield) cost about 10% of a step. emlab's product sums each element in one order wherever
// the split falls, and so do the bias gradients' sums (one part computes them): with it a seeded
// run is bit-identical on any thread count (tests/train/test_training.cpp). OpenBLAS's Haswell
// kernels round a block's edge differently (2,352 of 24,576 elements of a 512x48x48 product split
// in two differ in the last bit), so with EMLAB_GEMM=openblas a run is reproducible at a fixed
// thread count only, which is why sweeps store the thread count per run (docs/sweep.md).
void split_product(Trans trans_a, Trans trans_b, int M, int N, int K, float alpha, const float* A,
                   int lda, const float* B, int ldb, float beta, float* C, int ldc,
                   const float* bias, float* a_sums = nullptr) {
  const int threads = omp_in_parallel() ? 1 : omp_get_max_threads();
  constexpr int kAlign = 16;  // split on multiples of the kernels' register blocking
  const bool split_rows = M >= N;
  const int extent = split_rows ? M : N;
  if (threads == 1 || extent < 2 * kAlign || int64_t{M} * N * K < 32 * 32 * 32) {
    sgemm_block(trans_a, trans_b, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, bias, a_sums);
    return;
  }
#pragma omp parallel num_threads(threads)
  {
    const int parts = omp_get_num_threads(), t = omp_get_thread_num();
    const int blocks = (extent + kAlign - 1) / kAlign;
    const int begin = std::min(extent, blocks * t / parts * kAlign);
    const int end = std::min(extent, blocks * (t + 1) / parts * kAlign);
    if (end > begin) {
      if (split_rows) {
        const float* a = trans_a == Trans::kNo ? A + int64_t{begin} * lda : A + begin;
        sgemm_block(trans_a, trans_b, end - begin, N, K, alpha, a, lda, B, ldb, beta,
                    C + int64_t{begin} * ldc, ldc, bias,
                    a_sums == nullptr ? nullptr : a_sums + begin);
      } else {
        const float* b = trans_b == Trans::kNo ? B + begin : B + int64_t{begin} * ldb;
        // op(A)'s row sums belong to the part that holds C's first column, so that they are
        // computed once whatever the split
        sgemm_block(trans_a, trans_b, M, end - begin, K, alpha, A, lda, b, ldb, beta, C + begin,
                    ldc, bias == nullptr ? nullptr : bias + begin, begin == 0 ? a_sums : nullptr);
      }
    }
  }
}

}  // namespace

void sgemm(Trans trans_a, Trans trans_b, int M, int N, int K, float alpha, const float* A, int lda,
           const float* B, int ldb, float beta, float* C, int ldc) {
  split_product(trans_a, trans_b, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, nullptr);
}

void sgemm_bias(Trans trans_a, Trans trans_b, int M, int N, int K, const float* A, int lda,
                const float* B, int ldb, const float* bias, float* C, int ldc) {
  split_product(trans_a, trans_b, M, N, K, 1.0f, A, lda, B, ldb, 0.0f, C, ldc, bias);
}

void sgemm_weight_gradient(int M, int N, int K, const float* A, int lda, const float* B, int ldb,
                           float* C, int ldc, float* a_sums) {
  split_product(Trans::kYes, Trans::kNo, M, N, K, 1.0f, A, lda, B, ldb, 1.0f, C, ldc, nullptr,
                a_sums);
}

void reserve_blas_buffers(int threads) {
  // Debian's x86-64 OpenBLAS (0.3.21): BUFFER_SIZE is 32 << 22 bytes, seen in gdb as a malloc of
  // 134,221,824 bytes per thread (the buffer plus its alignment). The extra 64 MiB leaves room
  // for the arena glibc reserves for a new thread.
  constexpr size_t kPerThread = size_t{128} << 20, kSlack = size_t{64} << 20;
  threads = std::max(threads, 1);
  const size_t need = kPerThread * static_cast<size_t>(threads) + kSlack;
  void* probe = std::malloc(need);
  if (probe == nullptr) {
    rlimit limit{};
    getrlimit(RLIMIT_AS, &limit);
    const std::string cap =
        limit.rlim_cur == RLIM_INFINITY
            ? std::string("no address-space limit is set")
            : fmt::format("the address-space limit (ulimit -v) is {} MiB", limit.rlim_cur >> 20);
    fail(
        "out of memory: cannot reserve {} MiB for the BLAS work buffers ({} threads x 128 MiB "
        "and room for their stacks); {}. Raise the limit or use fewer threads (--threads)",
        need >> 20, threads, cap);
  }
  std::free(probe);
  // A product large enough to take OpenBLAS's buffered path on every thread.
  constexpr int kSize = 64;
  std::vector<float> a(static_cast<size_t>(threads) * kSize * kSize, 0.0f);
  std::vector<float> c(a.size(), 0.0f);
#pragma omp parallel num_threads(threads)
  {
    const size_t at = static_cast<size_t>(omp_get_thread_num()) * kSize * kSize;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, kSize, kSize, kSize, 1.0f, &a[at], kSize,
                &a[at], kSize, 0.0f, &c[at], kSize);
  }
}

bool sgemm_is_own() {
  return gemm_choice() == GemmChoice::kOwn;
}

const char* blas_description() {
  static const std::string text =
      gemm_choice() == GemmChoice::kOwn
          ? fmt::format("sgemm: emlab AVX-512 (12x32 tiles); other: {}", openblas_get_config())
          : std::string(openblas_get_config());
  return text.c_str();
}

void select_blas_kernels(char** argv) {
  if (gemm_choice() == GemmChoice::kInvalid) {
    std::fprintf(stderr, "emlab: error: EMLAB_GEMM=%s: expected auto, openblas%s\n",
                 std::getenv("EMLAB_GEMM"), gemm_avx512_compiled() ? " or avx512" : "");
    std::exit(1);
  }
  if (std::getenv("OPENBLAS_CORETYPE") != nullptr) return;  // the user's or machine's choice
  if (std::strcmp(openblas_get_corename(), "Prescott") != 0) return;
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) return;
  setenv("OPENBLAS_CORETYPE", "Haswell", 1);
  execv("/proc/self/exe", argv);
  // If the re-exec failed we carry on with the slow kernels: correct, only slower.
}

}  // namespace emlab::nn
