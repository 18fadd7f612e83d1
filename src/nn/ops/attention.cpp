// Causal multi-head self-attention on packed q,k,v. Each (batch, head) pair is independent, so
// the loops are split over them; within a pair everything runs in a fixed order (deterministic).
#include <omp.h>

#include <cmath>
#include <cstring>

#include "nn/ops/fast_exp.hpp"
#include "nn/ops/ops.hpp"

namespace emlab::nn::ops {

// qkv (B,T,3C) with q, k, v each split into H heads of hs = C/H channels;
// att (B,H,T,T) = softmax(q·kᵀ/√hs) over t2 ≤ t; out (B,T,C) = att · v
void attention_forward(float* out, float* att, const float* qkv, int B, int T, int C, int H) {
  const int hs = C / H;
  const int64_t C3 = 3 * static_cast<int64_t>(C);
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
#pragma omp parallel for collapse(2) schedule(static)
  for (int b = 0; b < B; ++b) {
    for (int h = 0; h < H; ++h) {
      const float* base = qkv + static_cast<int64_t>(b) * T * C3;
      float* att_bh = att + (static_cast<int64_t>(b) * H + h) * T * T;
      for (int t = 0; t < T; ++t) {
        const float* q = base + t * C3 + h * hs;
        float* row = att_bh + static_cast<int64_t>(t) * T;
        float max = -INFINITY;
        for (int t2 = 0; t2 <= t; ++t2) {
          const float* k = base + t2 * C3 + C + h * hs;
          float dot = 0.0f;
#pragma omp simd reduction(+ : dot)
          for (int i = 0; i < hs; ++i) dot += q[i] * k[i];
          row[t2] = dot * scale;
          max = row[t2] > max ? row[t2] : max;
        }
        float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
        for (int t2 = 0; t2 <= t; ++t2) {
          row[t2] = fast_exp(row[t2] - max);
          sum += row[t2];
        }
        const float inv = 1.0f / sum;
        for (int t2 = 0; t2 <= t; ++t2) row[t2] *= inv;
        for (int t2 = t + 1; t2 < T; ++t2) row[t2] = 0.0f;

        float* o = out + (static_cast<int64_t>(b) * T + t) * C + h * hs;
        std::memset(o, 0, sizeof(float) * hs);
        for (int t2 = 0; t2 <= t; ++t2) {
          const float* v = base + t2 * C3 + 2 * C + h * hs;
          const float a = row[t2];
#pragma omp simd
          for (int i = 0; i < hs; ++i) o[i] += a * v[i];
        }
      }
    }
  }
}

// With s = q·kᵀ·scale and att = softmax(s):
//   datt[t2] = dout_t · v_t2            dv_t2 += att[t2] · dout_t
//   ds[t2]   = att[t2] · (datt[t2] - Σ_j att[j]·datt[j])
//   dq_t    += scale · Σ ds[t2] · k_t2  dk_t2 += scale · ds[t2] · q_t
void attention_backward(float* dqkv, const float* dout, const float* qkv, const float* att,
                        float* scratch, int threads, int B, int T, int C, int H) {
  const int hs = C / H;
  const int64_t C3 = 3 * static_cast<int64_t>(C);
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
#pragma omp parallel for collapse(2) schedule(static) num_threads(threads)
  for (int b = 0; b < B; ++b) {
    for (int h = 0; h < H; ++h) {
      float* ds = scratch + static_cast<int64_t>(omp_get_thread_num()) * T;
      const float* base = qkv + static_cast<int64_t>(b) * T * C3;
      float* dbase = dqkv + static_cast<int64_t>(b) * T * C3;
      const float* att_bh = att + (static_cast<int64_t>(b) * H + h) * T * T;
      for (int t = 0; t < T; ++t) {
        const float* row = att_bh + static_cast<int64_t>(t) * T;
        const float* d = dout + (static_cast<int64_t>(b) * T + t) * C + h * hs;
        float weighted = 0.0f;
        for (int t2 = 0; t2 <= t; ++t2) {
          const float* v = base + t2 * C3 + 2 * C + h * hs;
          float* dv = dbase + t2 * C3 + 2 * C + h * hs;
          float dot = 0.0f;
#pragma omp simd reduction(+ : dot)
          for (int i = 0; i < hs; ++i) {
            dot += d[i] * v[i];
            dv[i] += row[t2] * d[i];
          }
          ds[t2] = dot;
          weighted += row[t2] * dot;
        }
        const float* q = base + t * C3 + h * hs;
        float* dq = dbase + t * C3 + h * hs;
        for (int t2 = 0; t2 <= t; ++t2) {
          const float g = row[t2] * (ds[t2] - weighted) * scale;
          const float* k = base + t2 * C3 + C + h * hs;
          float* dk = dbase + t2 * C3 + C + h * hs;
#pragma omp simd
          for (int i = 0; i < hs; ++i) {
            dq[i] += g * k[i];
            dk[i] += g * q[i];
          }
        }
      }
    }
  }
}

}  // namespace emlab::nn::ops
