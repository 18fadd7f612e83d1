// Causal attention of one (batch, head) pair with FloatLanes: a head's row is kVec vectors of 16
// channels. Each product sums over its inner index in order, as emlab's sgemm does, and scales
// once at the end, so this path gives the bits of nn/ops/attention.cpp's sgemm path (up to the
// sign of a zero, for contexts up to 256, which sgemm sums in one block of k); only the work above
// the causal diagonal, and the packing per call, are gone.
#include "nn/ops/attention_heads.hpp"

#include <algorithm>
#include <cmath>

#include "nn/ops/fast_exp.hpp"
#include "nn/ops/lanes.hpp"

namespace emlab::nn::ops {

namespace {

constexpr int kQueryGroup = 4;  // queries whose scores are computed together
constexpr int kMaxChunks = 4;   // chunks of 16 keys per pass: 4 × 4 accumulators

// dst[d·T + j] = src[j·stride + d]: a head's keys (or values) transposed, so that 16 consecutive
// keys of one channel are one vector; 16 × 16 tiles in registers (hs and T are multiples of 16).
void transpose_head(float* dst, const float* src, int64_t stride, int hs, int T) {
  for (int j0 = 0; j0 < T; j0 += kLanes)
    for (int d0 = 0; d0 < hs; d0 += kLanes) {
      FloatLanes rows[kLanes];
      for (int r = 0; r < kLanes; ++r) rows[r] = load_lanes(src + (j0 + r) * stride + d0);
      transpose_16x16(rows);
      for (int d = 0; d < kLanes; ++d) store_lanes(dst + int64_t{d0 + d} * T + j0, rows[d]);
    }
}

// out row o0 + r = alpha · Σ_{t = t0}^{t1 - 1} w[(o0 + r)·w_out + t·w_in] · x row t, for r < kOut:
// each query's weighted sum of values (w = att, a row per query) or of keys (dq, w = ds), and
// each key's sum over the queries that see it (dk from ds and q, dv from att and dout: w read by
// columns, zero where the query comes before the key).
template <int kVec, int kOut>
void weighted_sum(float* out, int64_t out_stride, const float* w, int64_t w_out, int64_t w_in,
                  const float* x, int64_t x_stride, int o0, int t0, int t1, float alpha) {
  FloatLanes acc[kOut][kVec] = {};
  for (int t = t0; t < t1; ++t) {
    FloatLanes xt[kVec];
#pragma GCC unroll 4
    for (int h = 0; h < kVec; ++h) xt[h] = load_lanes(x + t * x_stride + kLanes * h);
#pragma GCC unroll 16
    for (int r = 0; r < kOut; ++r) {
      const FloatLanes p = splat(w[(o0 + r) * w_out + t * w_in]);
#pragma GCC unroll 4
      for (int h = 0; h < kVec; ++h) acc[r][h] += p * xt[h];
    }
  }
#pragma GCC unroll 16
  for (int r = 0; r < kOut; ++r)
#pragma GCC unroll 4
    for (int h = 0; h < kVec; ++h)
      store_lanes(out + (o0 + r) * out_stride + kLanes * h, acc[r][h] * alpha);
}

// out[(i0 + r)·T + key] = alpha · Σ_d a[(i0 + r)·a_stride + d] · bt[d·T + key] for the group's
// queries r < kQueryGroup and the keys of chunks [0, chunks): scores, or the gradient of the
// probabilities. A weighted sum of the rows of bt (a chunk of 16 keys per vector), up to four
// chunks at a time.
void group_products(float* out, const float* a, int64_t a_stride, const float* bt, int hs, int T,
                    int i0, int chunks, float alpha) {
  for (int c0 = 0; c0 < chunks; c0 += kMaxChunks) {
    float* o = out + kLanes * c0;
    const float* b = bt + kLanes * c0;
    switch (std::min(kMaxChunks, chunks - c0)) {
      case 1:
        weighted_sum<1, kQueryGroup>(o, T, a, a_stride, 1, b, T, i0, 0, hs, alpha);
        break;
      case 2:
        weighted_sum<2, kQueryGroup>(o, T, a, a_stride, 1, b, T, i0, 0, hs, alpha);
        break;
      case 3:
        weighted_sum<3, kQueryGroup>(o, T, a, a_stride, 1, b, T, i0, 0, hs, alpha);
        break;
      default:
        weighted_sum<4, kQueryGroup>(o, T, a, a_stride, 1, b, T, i0, 0, hs, alpha);
    }
  }
}

// The causal softmax (as nn/ops/attention.cpp's rows compute it) on the group's kQueryGroup rows at
// once, over the `chunks` chunks their scores fill (rows of T entries, T ≥ 16·chunks): the same
// operations in the same order, interleaved so that one row's reductions wait while another's run.
void causal_softmax_group(float* att, int T, int i0, int chunks) {
  FloatLanes max_lanes[kQueryGroup], sums[kQueryGroup] = {};
  float* row[kQueryGroup];
#pragma GCC unroll 4
  for (int r = 0; r < kQueryGroup; ++r) {
    row[r] = att + int64_t{i0 + r} * T;
    max_lanes[r] = splat(-INFINITY);
  }
  for (int c = 0; c < chunks; ++c)
#pragma GCC unroll 4
    for (int r = 0; r < kQueryGroup; ++r) {
      const FloatLanes x = load_lanes(row[r] + kLanes * c);
      max_lanes[r] = kLaneIndex < i0 + r + 1 - kLanes * c && x > max_lanes[r] ? x : max_lanes[r];
    }
  float max[kQueryGroup];
#pragma GCC unroll 4
  for (int r = 0; r < kQueryGroup; ++r) max[r] = fold_max(max_lanes[r]);
  for (int c = 0; c < chunks; ++c)
#pragma GCC unroll 4
    for (int r = 0; r < kQueryGroup; ++r) {
      const FloatLanes e = fast_exp(load_lanes(row[r] + kLanes * c) - max[r]);
      const FloatLanes kept = kLaneIndex < i0 + r + 1 - kLanes * c ? e : 0.0f;
      store_lanes(row[r] + kLanes * c, kept);
      sums[r] += kept;
    }
#pragma GCC unroll 4
  for (int r = 0; r < kQueryGroup; ++r) {
    const float inv = 1.0f / fold_sum(sums[r]);
    // Chunks past the row's own keys hold zeros already; the row's end past the group's chunks
    // is cleared.
    for (int c = 0; c < chunks; ++c)
      store_lanes(row[r] + kLanes * c, load_lanes(row[r] + kLanes * c) * inv);
    std::fill(row[r] + kLanes * chunks, row[r] + T, 0.0f);
  }
}

// The softmax's backward pass (as nn/ops/attention.cpp's rows compute it) on the group's rows at
// once: ds = att ⊙ (ds − Σ att ⊙ ds) over the chunks the group computed (att is zero past each
// query, so those entries come out zero).
void softmax_backward_group(float* ds, const float* att, int T, int i0, int chunks) {
  FloatLanes lanes[kQueryGroup] = {};
  for (int c = 0; c < chunks; ++c)
#pragma GCC unroll 4
    for (int r = 0; r < kQueryGroup; ++r) {
      const int64_t at = int64_t{i0 + r} * T + kLanes * c;
      lanes[r] += load_lanes(att + at) * load_lanes(ds + at);
    }
#pragma GCC unroll 4
  for (int r = 0; r < kQueryGroup; ++r) {
    const float weighted = fold_sum(lanes[r]);
    for (int c = 0; c < chunks; ++c) {
      const int64_t at = int64_t{i0 + r} * T + kLanes * c;
      store_lanes(ds + at, load_lanes(att + at) * (load_lanes(ds + at) - weighted));
    }
  }
}

// Chunks of 16 keys a group of queries starting at i0 sees (keys 0 .. i0 + kQueryGroup - 1).
int chunks_seen(int i0) {
  return (i0 + kQueryGroup - 1) / kLanes + 1;
}

// Rows (or keys) summed together by the weighted sums: 16 accumulators, a divisor of 16.
template <int kVec>
constexpr int kSumRows = kVec == 1   ? 16
                         : kVec == 2 ? 8
                                     : 4;

template <int kVec>
void pair_forward(float* out, int64_t out_stride, float* att, const float* q, const float* k,
                  const float* v, int64_t stride, int T, float scale, float* kt) {
  constexpr int hs = kLanes * kVec, kRows = kSumRows<kVec>;
  transpose_head(kt, k, stride, hs, T);
  for (int i0 = 0; i0 < T; i0 += kQueryGroup) {
    const int chunks = chunks_seen(i0);
    group_products(att, q, stride, kt, hs, T, i0, chunks, scale);
    causal_softmax_group(att, T, i0, chunks);
  }
  for (int i0 = 0; i0 < T; i0 += kRows)
    weighted_sum<kVec, kRows>(out, out_stride, att, T, 1, v, stride, i0, 0, i0 + kRows, 1.0f);
}

template <int kVec>
void pair_backward(float* dq, float* dk, float* dv, int64_t stride, const float* dout,
                   int64_t out_stride, const float* q, const float* k, const float* v,
                   const float* att, int T, float scale, float* ds, float* vt) {
  constexpr int hs = kLanes * kVec, kRows = kSumRows<kVec>;
  transpose_head(vt, v, stride, hs, T);
  // ds = gradient of the probabilities (dout · vᵀ), then of the scores, row by row; zero past
  // each query up to the end of the chunks its group computed.
  for (int i0 = 0; i0 < T; i0 += kQueryGroup) {
    const int chunks = chunks_seen(i0);
    group_products(ds, dout, out_stride, vt, hs, T, i0, chunks, 1.0f);
    softmax_backward_group(ds, att, T, i0, chunks);
  }
  for (int i0 = 0; i0 < T; i0 += kRows)
    weighted_sum<kVec, kRows>(dq, stride, ds, T, 1, k, stride, i0, 0, i0 + kRows, scale);
  for (int j0 = 0; j0 < T; j0 += kRows) {
    weighted_sum<kVec, kRows>(dk, stride, ds, 1, T, q, stride, j0, j0, T, scale);
    weighted_sum<kVec, kRows>(dv, stride, att, 1, T, dout, out_stride, j0, j0, T, 1.0f);
  }
}

}  // namespace

bool attention_heads_fit(int hs, int T) {
  return hs % kLanes == 0 && hs >= kLanes && hs <= 4 * kLanes && T % kLanes == 0 && T > 0;
}

void attention_pair_forward(float* out, int64_t out_stride, float* att, const float* q,
                            const float* k, const float* v, int64_t stride, int hs, int T,
                            float scale, float* scratch) {
  switch (hs / kLanes) {
    case 1:
      return pair_forward<1>(out, out_stride, att, q, k, v, stride, T, scale, scratch);
    case 2:
      return pair_forward<2>(out, out_stride, att, q, k, v, stride, T, scale, scratch);
    case 3:
      return pair_forward<3>(out, out_stride, att, q, k, v, stride, T, scale, scratch);
    default:
      return pair_forward<4>(out, out_stride, att, q, k, v, stride, T, scale, scratch);
  }
}

void attention_pair_backward(float* dq, float* dk, float* dv, int64_t stride, const float* dout,
                             int64_t out_stride, const float* q, const float* k, const float* v,
                             const float* att, int hs, int T, float scale, float* ds,
                             float* scratch) {
  switch (hs / kLanes) {
    case 1:
      return pair_backward<1>(dq, dk, dv, stride, dout, out_stride, q, k, v, att, T, scale, ds,
                              scratch);
    case 2:
      return pair_backward<2>(dq, dk, dv, stride, dout, out_stride, q, k, v, att, T, scale, ds,
                              scratch);
    case 3:
      return pair_backward<3>(dq, dk, dv, stride, dout, out_stride, q, k, v, att, T, scale, ds,
                              scratch);
    default:
      return pair_backward<4>(dq, dk, dv, stride, dout, out_stride, q, k, v, att, T, scale, ds,
                              scratch);
  }
}

}  // namespace emlab::nn::ops
