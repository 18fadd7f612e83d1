// Layer normalisation over the channel dimension, eps = 1e-5 as in GPT-2. Widths that are whole
// vectors of 16 (every bench shape) take rows four at a time: a row of 64 is a chain of dependent
// sums, two folds, a division and a square root, and one row at a time its latency, not its
// arithmetic, set the pace (tiny's LayerNorms took 45 us a call in a step); other widths run row
// by row.
#include <algorithm>
#include <cmath>

#include "nn/ops/lanes.hpp"
#include "nn/ops/ops.hpp"

namespace emlab::nn::ops {

namespace {
constexpr float kEps = 1e-5f;
constexpr int kColumnBlock = kLanes;  // weight/bias gradient columns one thread owns at a time
constexpr int kRowGroup = 4;          // rows normalised together where the width is whole vectors

// Rows [0, kRows) of x (C = whole vectors): out = (x - mean) · rstd · weight + bias.
template <int kRows>
void normalize_rows(float* out, float* mean, float* rstd, const float* x, const float* weight,
                    const float* bias, int C) {
  FloatLanes sum[kRows] = {}, var[kRows] = {};
  float m[kRows], s[kRows];
  for (int c = 0; c < C; c += kLanes)
#pragma GCC unroll 4
    for (int r = 0; r < kRows; ++r) sum[r] += load_lanes(x + r * C + c);
#pragma GCC unroll 4
  for (int r = 0; r < kRows; ++r) m[r] = fold_sum(sum[r]) / static_cast<float>(C);
  for (int c = 0; c < C; c += kLanes)
#pragma GCC unroll 4
    for (int r = 0; r < kRows; ++r) {
      const FloatLanes d = load_lanes(x + r * C + c) - m[r];
      var[r] += d * d;
    }
#pragma GCC unroll 4
  for (int r = 0; r < kRows; ++r) {
    s[r] = 1.0f / std::sqrt(fold_sum(var[r]) / static_cast<float>(C) + kEps);
    mean[r] = m[r];
    rstd[r] = s[r];
  }
  for (int c = 0; c < C; c += kLanes) {
    const FloatLanes w = load_lanes(weight + c), b = load_lanes(bias + c);
#pragma GCC unroll 4
    for (int r = 0; r < kRows; ++r)
      store_lanes(out + r * C + c, (load_lanes(x + r * C + c) - m[r]) * s[r] * w + b);
  }
}

// Rows [0, kRows) of the input gradient (C = whole vectors), accumulated into dinp.
template <int kRows>
void normalize_rows_backward(float* dinp, const float* dout, const float* x, const float* weight,
                             const float* mean, const float* rstd, int C) {
  FloatLanes g_sum[kRows] = {}, gx_sum[kRows] = {};
  for (int c = 0; c < C; c += kLanes) {
    const FloatLanes w = load_lanes(weight + c);
#pragma GCC unroll 4
    for (int r = 0; r < kRows; ++r) {
      const FloatLanes g = load_lanes(dout + r * C + c) * w;
      g_sum[r] += g;
      gx_sum[r] += g * (load_lanes(x + r * C + c) - mean[r]) * rstd[r];
    }
  }
  float g_mean[kRows], gx_mean[kRows];
#pragma GCC unroll 4
  for (int r = 0; r < kRows; ++r) {
    g_mean[r] = fold_sum(g_sum[r]) / static_cast<float>(C);
    gx_mean[r] = fold_sum(gx_sum[r]) / static_cast<float>(C);
  }
  for (int c = 0; c < C; c += kLanes) {
    const FloatLanes w = load_lanes(weight + c);
#pragma GCC unroll 4
    for (int r = 0; r < kRows; ++r) {
      const FloatLanes xhat = (load_lanes(x + r * C + c) - mean[r]) * rstd[r];
      const FloatLanes g = load_lanes(dout + r * C + c) * w;
      store_lanes(dinp + r * C + c,
                  load_lanes(dinp + r * C + c) + rstd[r] * (g - g_mean[r] - xhat * gx_mean[r]));
    }
  }
}

// Calls rows.template operator()<n>(i) for the rows [i, i + n) of N, in groups of kRowGroup over
// the threads and one at a time for the last few.
template <class Rows>
void for_row_groups(int N, Rows&& rows) {
  const int groups = (N + kRowGroup - 1) / kRowGroup;
#pragma omp parallel for schedule(static)
  for (int g = 0; g < groups; ++g) {
    const int i = g * kRowGroup;
    if (i + kRowGroup <= N)
      rows.template operator()<kRowGroup>(i);
    else
      for (int r = i; r < N; ++r) rows.template operator()<1>(r);
  }
}
}  // namespace

// out (N,C), mean (N), rstd (N) <- inp (N,C), weight (C), bias (C)
void layernorm_forward(float* out, float* mean, float* rstd, const float* inp, const float* weight,
                       const float* bias, int N, int C) {
  if (C % kLanes == 0) {
    for_row_groups(N, [&]<int kRows>(int i) {
      const int64_t at = int64_t{i} * C;
      normalize_rows<kRows>(out + at, mean + i, rstd + i, inp + at, weight, bias, C);
    });
    return;
  }
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
  if (C % kLanes == 0) {
    for_row_groups(N, [&]<int kRows>(int i) {
      const int64_t at = int64_t{i} * C;
      normalize_rows_backward<kRows>(dinp + at, dout + at, inp + at, weight, mean + i, rstd + i, C);
    });
  } else {
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
  }
  // Each thread owns whole column blocks and sums rows in order: deterministic for any thread
  // count.
  const int blocks = (C + kColumnBlock - 1) / kColumnBlock;
#pragma omp parallel for schedule(static)
  for (int blk = 0; blk < blocks; ++blk) {
    const int c0 = blk * kColumnBlock, c1 = std::min(C, c0 + kColumnBlock);
    if (c1 - c0 == kLanes) {  // a whole vector of columns: the same sums, in registers
      FloatLanes dw = {}, db = {};
      for (int i = 0; i < N; ++i) {
        const int64_t at = static_cast<int64_t>(i) * C + c0;
        const FloatLanes d = load_lanes(dout + at);
        dw += d * (load_lanes(inp + at) - mean[i]) * rstd[i];
        db += d;
      }
      store_lanes(dweight + c0, load_lanes(dweight + c0) + dw);
      store_lanes(dbias + c0, load_lanes(dbias + c0) + db);
      continue;
    }
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
