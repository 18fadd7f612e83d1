// Causal multi-head self-attention on packed q,k,v. Each (batch, head) pair is independent, so
// the work is split over pairs. Within a pair, heads of 16-64 channels over contexts that are a
// multiple of 16 take nn/ops/attention_heads.cpp (vectors over the causal triangle); other shapes
// go through single-threaded sgemm on blocks of query rows, each block multiplying only the keys
// it may see (0..end of block), so the causal mask wastes at most half a block.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "nn/blas.hpp"
#include "nn/ops/attention_heads.hpp"
#include "nn/ops/fast_exp.hpp"
#include "nn/ops/ops.hpp"

namespace emlab::nn::ops {

namespace {
constexpr int kRowBlock = 64;

// Heads of 16-64 channels over contexts that are a multiple of 16 take the vector path
// (nn/ops/attention_heads.hpp) unless the caller asks for sgemm.
bool use_vector_heads(AttentionKernel kernel, int hs, int T) {
  return kernel == AttentionKernel::kAuto && attention_heads_fit(hs, T);
}

// Where the whole chunks covering a row's first `len` entries end: past len (masked) when the
// row's capacity allows, else before it, and a scalar tail does the rest.
int whole_chunks_end(int len, int capacity) {
  const int padded = (len + kLanes - 1) / kLanes * kLanes;
  return padded <= capacity ? padded : len / kLanes * kLanes;
}

// row[0..len) = softmax(row[0..len)); row[len..capacity) = 0.
void causal_softmax_row(float* row, int len, int capacity) {
  const int whole = whole_chunks_end(len, capacity);
  FloatLanes lanes = splat(-INFINITY);
  for (int j = 0; j < whole; j += kLanes) {
    const FloatLanes x = load_lanes(row + j);
    lanes = kLaneIndex < len - j && x > lanes ? x : lanes;
  }
  float max = fold_max(lanes);
  for (int j = whole; j < len; ++j) max = row[j] > max ? row[j] : max;
  FloatLanes sums = {};
  for (int j = 0; j < whole; j += kLanes) {
    const FloatLanes e = fast_exp(load_lanes(row + j) - max);
    const FloatLanes kept = kLaneIndex < len - j ? e : 0.0f;
    store_lanes(row + j, kept);
    sums += kept;
  }
  float sum = fold_sum(sums);
  for (int j = whole; j < len; ++j) {
    row[j] = fast_exp(row[j] - max);
    sum += row[j];
  }
  const float inv = 1.0f / sum;
  for (int j = 0; j < whole; j += kLanes) store_lanes(row + j, load_lanes(row + j) * inv);
  for (int j = whole; j < len; ++j) row[j] *= inv;  // the masked entries are zero already
  const int done = std::max(whole, len);
  std::fill(row + done, row + capacity, 0.0f);
}

// The softmax's backward pass on one row, in place: ds = att ⊙ (datt − Σ att ⊙ datt) over the
// row's first len entries, and zero on [len, end). att is zero past len, so the masked chunk's
// extra entries come out zero too.
void softmax_backward_row(float* ds, const float* att, int len, int end, int capacity) {
  const int whole = whole_chunks_end(len, std::min(end, capacity));
  FloatLanes lanes = {};
  for (int j = 0; j < whole; j += kLanes) lanes += load_lanes(att + j) * load_lanes(ds + j);
  float weighted = fold_sum(lanes);
  for (int j = whole; j < len; ++j) weighted += att[j] * ds[j];
  for (int j = 0; j < whole; j += kLanes)
    store_lanes(ds + j, load_lanes(att + j) * (load_lanes(ds + j) - weighted));
  for (int j = whole; j < len; ++j) ds[j] = att[j] * (ds[j] - weighted);
  const int done = std::max(whole, len);
  std::fill(ds + done, ds + end, 0.0f);
}
}  // namespace

// qkv (B,T,3C) with q, k, v each split into H heads of hs = C/H channels;
// att (B,H,T,T) = softmax(q·kᵀ/√hs) over t2 ≤ t, zero above; out (B,T,C) = att · v
void attention_forward(float* out, float* att, const float* qkv, int B, int T, int C, int H,
                       AttentionKernel kernel) {
  const int hs = C / H, C3 = 3 * C;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
  const bool vector_heads = use_vector_heads(kernel, hs, T);
#pragma omp parallel for collapse(2) schedule(static)
  for (int b = 0; b < B; ++b) {
    for (int h = 0; h < H; ++h) {
      const float* q = qkv + int64_t{b} * T * C3 + h * hs;
      const float* k = q + C;
      const float* v = q + 2 * C;
      float* a = att + (int64_t{b} * H + h) * T * T;
      float* o = out + int64_t{b} * T * C + h * hs;
      if (vector_heads) {
        thread_local std::vector<float> keys_transposed;
        keys_transposed.resize(static_cast<size_t>(hs) * T);
        attention_pair_forward(o, C, a, q, k, v, C3, hs, T, scale, keys_transposed.data());
        continue;
      }
      for (int r0 = 0; r0 < T; r0 += kRowBlock) {
        const int r1 = std::min(T, r0 + kRowBlock);
        // scores (rows r0..r1, keys 0..r1) = scale · q kᵀ
        sgemm(Trans::kNo, Trans::kYes, r1 - r0, r1, hs, scale, q + int64_t{r0} * C3, C3, k, C3,
              0.0f, a + int64_t{r0} * T, T);
        for (int t = r0; t < r1; ++t) causal_softmax_row(a + int64_t{t} * T, t + 1, T);
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
                        float* scratch, int threads, int B, int T, int C, int H,
                        AttentionKernel kernel) {
  const int hs = C / H, C3 = 3 * C;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
  const bool vector_heads = use_vector_heads(kernel, hs, T);
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
      if (vector_heads) {
        thread_local std::vector<float> values_transposed;
        values_transposed.resize(static_cast<size_t>(hs) * T);
        attention_pair_backward(dq, dk, dv, C3, d, C, q, k, v, a, hs, T, scale, ds,
                                values_transposed.data());
        continue;
      }
      for (int r0 = 0; r0 < T; r0 += kRowBlock) {
        const int r1 = std::min(T, r0 + kRowBlock);
        // datt (rows r0..r1, keys 0..r1) = dout · vᵀ, then the softmax backward in place
        sgemm(Trans::kNo, Trans::kYes, r1 - r0, r1, hs, 1.0f, d + int64_t{r0} * C, C, v, C3, 0.0f,
              ds + int64_t{r0} * T, T);
        for (int t = r0; t < r1; ++t)
          softmax_backward_row(ds + int64_t{t} * T, a + int64_t{t} * T, t + 1, r1, T);
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
