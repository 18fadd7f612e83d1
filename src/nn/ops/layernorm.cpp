// Layer normalisation over the channel dimension, eps = 1e-5 as in GPT-2.
#include <algorithm>
#include <cmath>

#include "nn/ops/ops.hpp"

namespace emlab::nn::ops {

namespace {
constexpr float kEps = 1e-5f;
constexpr int kColumnBlock = 16;  // weight/bias gradient columns owned by one thread at a time
}  // namespace

// out (N,C), mean (N), rstd (N) <- inp (N,C), weight (C), bias (C)
void layernorm_forward(float* out, float* mean, float* rstd, const float* inp, const float* weight,
                       const float* bias, int N, int C) {
#pragma omp parallel for schedule(static)
  for (int i = 0; i < N; ++i) {
    const float* x = inp + static_cast<int64_t>(i) * C;
    float* o = out + static_cast<int64_t>(i) * C;
    float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
    for (int c = 0; c < C; ++c) sum += x[c];
    const float m = sum / static_cast<float>(C);
    float var = 0.0f;
#pragma omp simd reduction(+ : var)
    for (int c = 0; c < C; ++c) var += (x[c] - m) * (x[c] - m);
    const float s = 1.0f / std::sqrt(var / static_cast<float>(C) + kEps);
#pragma omp simd
    for (int c = 0; c < C; ++c) o[c] = (x[c] - m) * s * weight[c] + bias[c];
    mean[i] = m;
    rstd[i] = s;
  }
}

// dinp = rstd · (g - mean(g) - xhat · mean(g · xhat)) with g = dout · weight;
// dweight = Σ_rows dout · xhat, dbias = Σ_rows dout.
void layernorm_backward(float* dinp, float* dweight, float* dbias, const float* dout,
                        const float* inp, const float* weight, const float* mean, const float* rstd,
                        int N, int C) {
#pragma omp parallel for schedule(static)
  for (int i = 0; i < N; ++i) {
    const float* x = inp + static_cast<int64_t>(i) * C;
    const float* d = dout + static_cast<int64_t>(i) * C;
    float* di = dinp + static_cast<int64_t>(i) * C;
    const float m = mean[i], s = rstd[i];
    float g_mean = 0.0f, gx_mean = 0.0f;
#pragma omp simd reduction(+ : g_mean, gx_mean)
    for (int c = 0; c < C; ++c) {
      const float g = d[c] * weight[c];
      g_mean += g;
      gx_mean += g * (x[c] - m) * s;
    }
    g_mean /= static_cast<float>(C);
    gx_mean /= static_cast<float>(C);
#pragma omp simd
    for (int c = 0; c < C; ++c) {
      const float xhat = (x[c] - m) * s;
      di[c] += s * (d[c] * weight[c] - g_mean - xhat * gx_mean);
    }
  }
  // Each thread owns whole column blocks and sums rows in order: deterministic for any thread
  // count.
  const int blocks = (C + kColumnBlock - 1) / kColumnBlock;
#pragma omp parallel for schedule(static)
  for (int blk = 0; blk < blocks; ++blk) {
    const int c0 = blk * kColumnBlock, c1 = std::min(C, c0 + kColumnBlock);
    float dw[kColumnBlock] = {}, db[kColumnBlock] = {};
    for (int i = 0; i < N; ++i) {
      const float* x = inp + static_cast<int64_t>(i) * C;
      const float* d = dout + static_cast<int64_t>(i) * C;
      const float m = mean[i], s = rstd[i];
      for (int c = c0; c < c1; ++c) {
        dw[c - c0] += d[c] * (x[c] - m) * s;
        db[c - c0] += d[c];
      }
    }
    for (int c = c0; c < c1; ++c) {
      dweight[c] += dw[c - c0];
      dbias[c] += db[c - c0];
    }
  }
}

}  // namespace emlab::nn::ops
