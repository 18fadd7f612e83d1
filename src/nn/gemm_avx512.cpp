#include "nn/gemm_avx512.hpp"

#include "core/error.hpp"
#include "nn/ops/lanes.hpp"

#ifdef __AVX512F__
#include <immintrin.h>

#include <algorithm>
#include <cstdint>
#include <vector>
#endif

namespace emlab::nn {

#ifdef __AVX512F__

namespace {

// A register tile of C is 12 rows × 32 columns (or × 16 where C has only 16 columns left): 24
// accumulators, two vectors of B and one broadcast of A per step of k, within the 32 vector
// registers. A is read in place: its 12 rows of kKc values stay in L1 while a row of tiles sweeps
// B. B is read in place too when op(B) is B and A is not transposed (its rows are the tile's
// vectors); Bᵀ, and B under a transposed A, are packed into panels 32 columns wide, kKc × kNc at
// a time (512 KiB at most, in L2). The trainer's products are tall and narrow (N of 16-256), where
// packing what need not be packed costs a visible share.
constexpr int kMr = 12, kNr = 32, kKc = 256, kNc = 512;

__mmask16 lanes(int n) {  // the first n of 16 lanes, n in [0, 16]
  return static_cast<__mmask16>(n >= 16 ? 0xFFFF : (1u << n) - 1u);
}

// Packs Bᵀ[k0 .. k0+kc) × [j0 .. j0+nc) (B's rows j0.., columns k0..) as panels of kNr columns:
// panel p holds, for each k, the kNr values of its columns contiguously, zero past the last one.
void pack_b_transposed(const float* B, int ldb, int k0, int kc, int j0, int nc, float* out) {
  for (int jp = 0; jp < nc; jp += kNr) {
    const int nr = std::min(kNr, nc - jp);
    float* panel = out + int64_t{jp} * kc;
    int k_done = 0;
    if (nr == kNr) {  // whole panels: 16 × 16 tiles transposed in registers
      for (; k_done + 16 <= kc; k_done += 16)
        for (int half = 0; half < kNr; half += 16) {
          ops::FloatLanes rows[16];
          for (int j = 0; j < 16; ++j)
            rows[j] = ops::load_lanes(B + int64_t{j0 + jp + half + j} * ldb + k0 + k_done);
          ops::transpose_16x16(rows);
          for (int k = 0; k < 16; ++k) ops::store_lanes(panel + (k_done + k) * kNr + half, rows[k]);
        }
    } else {
      std::fill(panel, panel + int64_t{kc} * kNr, 0.0f);
    }
    for (int j = 0; j < nr; ++j) {  // the rest, one value at a time
      const float* src = B + int64_t{j0 + jp + j} * ldb + k0;
      for (int k = k_done; k < kc; ++k) panel[k * kNr + j] = src[k];
    }
  }
}

// B[k0 .. k0+kc) × [j0 .. j0+nc) as panels of kNr columns, zero past the last column. Used under a
// transposed A (the weight gradients, K = batch × context): there B's rows are a whole activation
// apart and, inside a training step, out of cache; the tiles read each row once per row of tiles
// and waited on memory. Copied once per block, they come from L2: tiny's backward pass took 4.0
// -> 3.77 ms, small's 52 -> 46.7 ms, though with B hot in cache the product alone is slower. A
// block under kPackBFloats (attention's key and value gradients, 64 × 16) stays in L1 anyway, and
// packing it cost 2% of tiny's attention backward.
constexpr int64_t kPackBFloats = 4096;
void pack_b(const float* B, int ldb, int k0, int kc, int j0, int nc, float* out) {
  for (int jp = 0; jp < nc; jp += kNr) {
    const int nr = std::min(kNr, nc - jp);
    float* panel = out + int64_t{jp} * kc;
    for (int k = 0; k < kc; ++k) {
      const float* src = B + int64_t{k0 + k} * ldb + j0 + jp;
      float* dst = panel + int64_t{k} * kNr;
      const __mmask16 m0 = lanes(nr), m1 = lanes(nr > 16 ? nr - 16 : 0);
      _mm512_storeu_ps(dst, _mm512_maskz_loadu_ps(m0, src));
      _mm512_storeu_ps(dst + 16, _mm512_maskz_loadu_ps(m1, src + 16));
    }
  }
}

// Stores one row of the tile: C = alpha · acc + beta · C (+ bias, where given) over the lanes in
// m0, m1. With alpha 1 and beta 0 the bias is added exactly as a product with beta 1 over a C
// that holds the bias would add it: the same bits.
template <int kVectors>
inline void store_row(float* c, const __m512* acc, __m512 alpha, float beta, const float* bias,
                      __mmask16 m0, __mmask16 m1) {
  const __mmask16 mask[2] = {m0, m1};
#pragma GCC unroll 2
  for (int v = 0; v < kVectors; ++v) {
    __m512 r = _mm512_mul_ps(alpha, acc[v]);
    if (beta != 0.0f)
      r = _mm512_fmadd_ps(_mm512_set1_ps(beta), _mm512_maskz_loadu_ps(mask[v], c + 16 * v), r);
    if (bias != nullptr) r = _mm512_add_ps(r, _mm512_maskz_loadu_ps(mask[v], bias + 16 * v));
    _mm512_mask_storeu_ps(c + 16 * v, mask[v], r);
  }
}

// One tile: rows [0, mr) of op(A) times kVectors × 16 columns of op(B), over kc values of k.
// op(A)'s (i, k) is a[i · lda + k], or a[k · lda + i] when kTransposedA; op(B)'s row k starts at
// b + k · b_stride, its lanes past the last column masked off by m0, m1 (packed panels have zeros
// there). Rows past mr repeat row mr - 1 (computed, not stored), so no read leaves A. Each
// element's sum runs over k in order.
template <bool kTransposedA, int kVectors>
void tile(int kc, const float* a, int64_t lda, const float* b, int64_t b_stride, float* c,
          int64_t ldc, int mr, __mmask16 m0, __mmask16 m1, float alpha, float beta,
          const float* bias) {
  __m512 acc[kMr][kVectors];
#pragma GCC unroll 12
  for (int i = 0; i < kMr; ++i)
#pragma GCC unroll 2
    for (int v = 0; v < kVectors; ++v) acc[i][v] = _mm512_setzero_ps();
  const __mmask16 mask[2] = {m0, m1};
  auto step = [&](const float* bk, auto a_value) {
    __m512 bv[kVectors];
#pragma GCC unroll 2
    for (int v = 0; v < kVectors; ++v) bv[v] = _mm512_maskz_loadu_ps(mask[v], bk + 16 * v);
#pragma GCC unroll 12
    for (int i = 0; i < kMr; ++i) {
      const __m512 x = _mm512_set1_ps(a_value(i));
#pragma GCC unroll 2
      for (int v = 0; v < kVectors; ++v) acc[i][v] = _mm512_fmadd_ps(x, bv[v], acc[i][v]);
    }
  };
  if constexpr (kTransposedA) {  // the tile's 12 values for one k are contiguous
    if (mr == kMr) {
      for (int k = 0; k < kc; ++k, a += lda, b += b_stride) step(b, [&](int i) { return a[i]; });
    } else {
      int offset[kMr];
      for (int i = 0; i < kMr; ++i) offset[i] = std::min(i, mr - 1);
      for (int k = 0; k < kc; ++k, a += lda, b += b_stride)
        step(b, [&](int i) { return a[offset[i]]; });
    }
  } else {
    const float* row[kMr];
    for (int i = 0; i < kMr; ++i) row[i] = a + std::min(i, mr - 1) * lda;
    for (int k = 0; k < kc; ++k, b += b_stride) step(b, [&](int i) { return row[i][k]; });
  }
  const __m512 va = _mm512_set1_ps(alpha);
#pragma GCC unroll 12
  for (int i = 0; i < kMr; ++i)
    if (i < mr) store_row<kVectors>(c + i * ldc, acc[i], va, beta, bias, m0, m1);
}

// All tiles of one block: rows [0, M) of op(A) (at a) times columns [0, nc) of op(B) (at b, rows
// b_stride apart; a packed panel of kNr columns is b_panel floats after the last), bias (where
// given) at the block's first column.
template <bool kTransposedA>
void tiles(int M, int nc, int kc, const float* a, int64_t lda, const float* b, int64_t b_stride,
           int64_t b_panel, float* c, int64_t ldc, float alpha, float beta, const float* bias) {
  for (int ic = 0; ic < M; ic += kMr) {
    const int mr = std::min(kMr, M - ic);
    const float* a_rows = kTransposedA ? a + ic : a + int64_t{ic} * lda;
    for (int jr = 0; jr < nc; jr += kNr) {
      const int nr = std::min(kNr, nc - jr);
      const __mmask16 m0 = lanes(nr), m1 = lanes(nr > 16 ? nr - 16 : 0);
      const float* bj = b + jr / kNr * b_panel;
      float* cij = c + int64_t{ic} * ldc + jr;
      const float* bias_j = bias == nullptr ? nullptr : bias + jr;
      if (nr > 16)
        tile<kTransposedA, 2>(kc, a_rows, lda, bj, b_stride, cij, ldc, mr, m0, m1, alpha, beta,
                              bias_j);
      else
        tile<kTransposedA, 1>(kc, a_rows, lda, bj, b_stride, cij, ldc, mr, m0, m1, alpha, beta,
                              bias_j);
    }
  }
}

// sums[i] += Σ_{k < kc} a[k·lda + i] for i < M: the block's share of op(A)'s row sums under a
// transposed A, read while the tiles have just brought the block into cache (a linear layer's
// bias gradient comes with its weight gradient instead of a pass of its own over the output
// gradient). Each sum runs over k in order, and the blocks are added in order.
void add_row_sums(const float* a, int64_t lda, int kc, int M, float* sums) {
  for (int i0 = 0; i0 < M; i0 += 16) {
    const __mmask16 m = lanes(std::min(16, M - i0));
    __m512 acc = _mm512_setzero_ps();
    for (int k = 0; k < kc; ++k)
      acc = _mm512_add_ps(acc, _mm512_maskz_loadu_ps(m, a + k * lda + i0));
    _mm512_mask_storeu_ps(sums + i0, m, _mm512_add_ps(_mm512_maskz_loadu_ps(m, sums + i0), acc));
  }
}

void scale_c(int M, int N, float beta, float* C, int ldc) {
  for (int i = 0; i < M; ++i)
    for (int j = 0; j < N; ++j) {
      float& c = C[int64_t{i} * ldc + j];
      c = beta == 0.0f ? 0.0f : beta * c;
    }
}

}  // namespace

bool gemm_avx512_compiled() {
  return true;
}

void gemm_avx512(Trans trans_a, Trans trans_b, int M, int N, int K, float alpha, const float* A,
                 int lda, const float* B, int ldb, float beta, float* C, int ldc, const float* bias,
                 float* a_sums) {
  require(a_sums == nullptr || trans_a == Trans::kYes,
          "gemm_avx512: the sums of op(A)'s rows are computed only where A is transposed");
  if (M <= 0 || N <= 0) return;
  if (K <= 0 || alpha == 0.0f) {
    scale_c(M, N, beta, C, ldc);
    if (bias != nullptr)
      for (int i = 0; i < M; ++i)
        for (int j = 0; j < N; ++j) C[int64_t{i} * ldc + j] += bias[j];
    if (a_sums != nullptr)
      for (int pc = 0; pc < K; pc += kKc)
        add_row_sums(A + int64_t{pc} * lda, lda, std::min(kKc, K - pc), M, a_sums);
    return;
  }
  // One buffer per thread for packing Bᵀ, grown once: no allocation inside a training step.
  thread_local std::vector<float> packed;
  if (trans_b == Trans::kYes || trans_a == Trans::kYes) {
    const size_t need = size_t{kKc} * ((std::min(N, kNc) + kNr - 1) / kNr * kNr);
    if (packed.size() < need) packed.resize(need);
  }
  // (Blocks of 128 under a transposed A were faster while B was read in place there; with B
  // packed, 256 is 2% faster on tiny's step, and equal on small and text-64.)
  for (int jc = 0; jc < N; jc += kNc) {
    const int nc = std::min(kNc, N - jc);
    for (int pc = 0; pc < K; pc += kKc) {
      const int kc = std::min(kKc, K - pc);
      // Later blocks of k add to the first's result, which has the bias.
      const float beta_now = pc == 0 ? beta : 1.0f;
      const float* bias_now = pc == 0 && bias != nullptr ? bias + jc : nullptr;
      const float* b = B + int64_t{pc} * ldb + jc;
      int64_t b_stride = ldb, b_panel = kNr;
      if (trans_b == Trans::kYes) {
        pack_b_transposed(B, ldb, pc, kc, jc, nc, packed.data());
        b = packed.data(), b_stride = kNr, b_panel = int64_t{kNr} * kc;
      } else if (trans_a == Trans::kYes && int64_t{kc} * nc >= kPackBFloats) {
        pack_b(B, ldb, pc, kc, jc, nc, packed.data());
        b = packed.data(), b_stride = kNr, b_panel = int64_t{kNr} * kc;
      }
      float* c = C + jc;
      if (trans_a == Trans::kNo)
        tiles<false>(M, nc, kc, A + pc, lda, b, b_stride, b_panel, c, ldc, alpha, beta_now,
                     bias_now);
      else
        tiles<true>(M, nc, kc, A + int64_t{pc} * lda, lda, b, b_stride, b_panel, c, ldc, alpha,
                    beta_now, bias_now);
      if (a_sums != nullptr && jc == 0) add_row_sums(A + int64_t{pc} * lda, lda, kc, M, a_sums);
    }
  }
}

#else  // a build without AVX-512: nn/blas.cpp uses OpenBLAS for everything

bool gemm_avx512_compiled() {
  return false;
}

void gemm_avx512(Trans, Trans, int, int, int, float, const float*, int, const float*, int, float,
                 float*, int, const float*, float*) {
  fail("emlab's AVX-512 sgemm is not in this build (compiled without AVX-512F)");
}

#endif

}  // namespace emlab::nn
