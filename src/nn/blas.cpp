#include "nn/blas.hpp"

#include <cblas.h>
#include <omp.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "core/error.hpp"

namespace emlab::nn {

namespace {
CBLAS_TRANSPOSE to_cblas(Trans t) {
  return t == Trans::kYes ? CblasTrans : CblasNoTrans;
}
}  // namespace

// Splits C into one block of rows (or columns, whichever dimension is longer) per OpenMP thread
// and calls the BLAS single-threaded on each: for the mid-sized products of small transformers
// this beats OpenBLAS's own threading, whose synchronisation (sched_yield) cost about 10% of a
// step. Results depend on where the split falls (OpenBLAS's Haswell kernels round a block's edge
// differently: 2,352 of 24,576 elements of a 512x48x48 product split in two differ in the last
// bit), hence on the thread count: a run is bit-reproducible at a fixed thread count. Fixed blocks
// independent of the thread count (and a hand-written column sum for sgemv) made runs identical
// across thread counts but cost 8-10% of training throughput on all three bench shapes, so sweeps
// fix the thread count per run instead (docs/sweep.md).
void sgemm(Trans trans_a, Trans trans_b, int M, int N, int K, float alpha, const float* A, int lda,
           const float* B, int ldb, float beta, float* C, int ldc) {
  const auto ta = to_cblas(trans_a), tb = to_cblas(trans_b);
  const int threads = omp_in_parallel() ? 1 : omp_get_max_threads();
  constexpr int kAlign = 16;  // split on multiples of the kernels' register blocking
  const bool split_rows = M >= N;
  const int extent = split_rows ? M : N;
  if (threads == 1 || extent < 2 * kAlign || int64_t{M} * N * K < 32 * 32 * 32) {
    cblas_sgemm(CblasRowMajor, ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
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
        cblas_sgemm(CblasRowMajor, ta, tb, end - begin, N, K, alpha, a, lda, B, ldb, beta,
                    C + int64_t{begin} * ldc, ldc);
      } else {
        const float* b = trans_b == Trans::kNo ? B + begin : B + int64_t{begin} * ldb;
        cblas_sgemm(CblasRowMajor, ta, tb, M, end - begin, K, alpha, A, lda, b, ldb, beta,
                    C + begin, ldc);
      }
    }
  }
}

void sgemv_transposed(int M, int N, float alpha, const float* A, int lda, const float* x,
                      float beta, float* y) {
  cblas_sgemv(CblasRowMajor, CblasTrans, M, N, alpha, A, lda, x, 1, beta, y, 1);
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

const char* blas_description() {
  return openblas_get_config();
}

void select_blas_kernels(char** argv) {
  if (std::getenv("OPENBLAS_CORETYPE") != nullptr) return;  // the user's or machine's choice
  if (std::strcmp(openblas_get_corename(), "Prescott") != 0) return;
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) return;
  setenv("OPENBLAS_CORETYPE", "Haswell", 1);
  execv("/proc/self/exe", argv);
  // If the re-exec failed we carry on with the slow kernels: correct, only slower.
}

}  // namespace emlab::nn
