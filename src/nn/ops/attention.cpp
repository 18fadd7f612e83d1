// Causal multi-head self-attention on packed q,k,v. Each (batch, head) pair is independent, so
// the work is split over pairs; within a pair the products go through single-threaded sgemm on
// blocks of query rows, each block multiplying only the keys it may see (0..end of block), so
// the causal mask wastes at most half a block instead of half the matrix.
#include <omp.h>

#include <algorithm>
#include <cmath>

#include "nn/blas.hpp"
#include "nn/ops/fast_exp.hpp"
#include "nn/ops/ops.hpp"

namespace emlab::nn::ops {

namespace {
constexpr int kRowBlock = 64;
}  // namespace

// qkv (B,T,3C) with q, k, v each split into H heads of hs = C/H channels;
// att (B,H,T,T) = softmax(q·kᵀ/√hs) over t2 ≤ t, zero above; out (B,T,C) = att · v
void attention_forward(float* out, float* att, const float* qkv, int B, int T, int C, int H) {
  const int hs = C / H, C3 = 3 * C;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
#pragma omp parallel for collapse(2) schedule(static)
  for (int b = 0; b < B; ++b) {
    for (int h = 0; h < H; ++h) {
      const float* q = qkv + int64_t{b} * T * C3 + h * hs;
      const float* k = q + C;
      const float* v = q + 2 * C;
      float* a = att + (int64_t{b} * H + h) * T * T;
      float* o = out + int64_t{b} * T * C + h * hs;
      for (int r0 = 0; r0 < T; r0 += kRowBlock) {
        const int r1 = std::min(T, r0 + kRowBlock);
        // scores (rows r0..r1, keys 0..r1) = scale · q kᵀ
        sgemm(Trans::kNo, Trans::kYes, r1 - r0, r1, hs, scale, q + int64_t{r0} * C3, C3, k, C3,
              0.0f, a + int64_t{r0} * T, T);
        for (int t = r0; t < r1; ++t) {
          float* row = a + int64_t{t} * T;
          float max = row[0];
          for (int t2 = 1; t2 <= t; ++t2) max = row[t2] > max ? row[t2] : max;
          float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
          for (int t2 = 0; t2 <= t; ++t2) {
            row[t2] = fast_exp(row[t2] - max);
            sum += row[t2];
          }
          const float inv = 1.0f / sum;
#pragma omp simd
          for (int t2 = 0; t2 <= t; ++t2) row[t2] *= inv;
          std::fill(row + t + 1, row + T, 0.0f);
        }
        // out (rows r0..r1) = att (rows r0..r1, keys 0..r1) · v (keys 0..r1)
        sgemm(Trans::kNo, Trans::kNo, r1 - r0, hs, r1, 1.0f, a + int64_t{r0} * T, T, v, C3, 0.0f,
              o + int64_t{r0} * C, C);
      }
    }
  }
}

// With s = q·kᵀ·scale and att = softmax(s), per (batch, head):
//   datt = dout · vᵀ              dv = attᵀ · dout
//   ds   = att ⊙ (datt − rowsum(att ⊙ datt))
//   dq   = scale · ds · k         dk = scale · dsᵀ · q
// Rows of dv and dk at t2 only see queries t ≥ t2, so their blocks multiply from r0 to T.
void attention_backward(float* dqkv, const float* dout, const float* qkv, const float* att,
                        float* scratch, int threads, int B, int T, int C, int H) {
  const int hs = C / H, C3 = 3 * C;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
#pragma omp parallel for collapse(2) schedule(static) num_threads(threads)
  for (int b = 0; b < B; ++b) {
    for (int h = 0; h < H; ++h) {
      float* ds = scratch + int64_t{omp_get_thread_num()} * T * T;  // (T,T)
      const float* q = qkv + int64_t{b} * T * C3 + h * hs;
      const float* k = q + C;
      const float* v = q + 2 * C;
      float* dq = dqkv + int64_t{b} * T * C3 + h * hs;
      float* dk = dq + C;
      float* dv = dq + 2 * C;
      const float* a = att + (int64_t{b} * H + h) * T * T;
      const float* d = dout + int64_t{b} * T * C + h * hs;
      for (int r0 = 0; r0 < T; r0 += kRowBlock) {
        const int r1 = std::min(T, r0 + kRowBlock);
        // datt (rows r0..r1, keys 0..r1) = dout · vᵀ, then the softmax backward in place
        sgemm(Trans::kNo, Trans::kYes, r1 - r0, r1, hs, 1.0f, d + int64_t{r0} * C, C, v, C3, 0.0f,
              ds + int64_t{r0} * T, T);
        for (int t = r0; t < r1; ++t) {
          const float* arow = a + int64_t{t} * T;
          float* row = ds + int64_t{t} * T;
          float weighted = 0.0f;
#pragma omp simd reduction(+ : weighted)
          for (int t2 = 0; t2 <= t; ++t2) weighted += arow[t2] * row[t2];
#pragma omp simd
          for (int t2 = 0; t2 <= t; ++t2) row[t2] = arow[t2] * (row[t2] - weighted);
          std::fill(row + t + 1, row + r1, 0.0f);
        }
        // dq (rows r0..r1) = scale · ds (rows r0..r1, keys 0..r1) · k (keys 0..r1)
        sgemm(Trans::kNo, Trans::kNo, r1 - r0, hs, r1, scale, ds + int64_t{r0} * T, T, k, C3, 0.0f,
              dq + int64_t{r0} * C3, C3);
      }
      for (int r0 = 0; r0 < T; r0 += kRowBlock) {
        const int r1 = std::min(T, r0 + kRowBlock);
        // keys r0..r1 are seen by queries r0..T: dv = attᵀ · dout, dk = scale · dsᵀ · q
        sgemm(Trans::kYes, Trans::kNo, r1 - r0, hs, T - r0, 1.0f, a + int64_t{r0} * T + r0, T,
              d + int64_t{r0} * C, C, 0.0f, dv + int64_t{r0} * C3, C3);
        sgemm(Trans::kYes, Trans::kNo, r1 - r0, hs, T - r0, scale, ds + int64_t{r0} * T + r0, T,
              q + int64_t{r0} * C3, C3, 0.0f, dk + int64_t{r0} * C3, C3);
      }
    }
  }
}

}  // namespace emlab::nn::ops
