// One decoding step of causal attention against a key-value cache: each sequence brings one new
// position, stores its key and value, and its query attends over every position cached so far.
//
// The products here are written out rather than sent through blas.hpp: per (sequence, head) they
// are one query row against at most T keys of hs floats, matrix-vector products of a few dozen
// floats. An sgemv would sum in another order, so generated tokens would change, and its call
// overhead costs more than such products take.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "nn/ops/fast_exp.hpp"
#include "nn/ops/ops.hpp"

namespace emlab::nn::ops {

// qkv (n,3C) as in attention_forward; key_cache, value_cache (≥n sequences, T, C);
// out (n,C) = softmax(q·kᵀ/√hs) · v over positions 0..positions[i] of sequence i
void attention_step(float* out, float* key_cache, float* value_cache, const float* qkv,
                    const int32_t* positions, float* scratch, int threads, int n, int T, int C,
                    int H) {
  const int hs = C / H;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
  for (int i = 0; i < n; ++i) {
    const int64_t at = (int64_t{i} * T + positions[i]) * C;
    std::memcpy(key_cache + at, qkv + int64_t{i} * 3 * C + C, sizeof(float) * C);
    std::memcpy(value_cache + at, qkv + int64_t{i} * 3 * C + 2 * C, sizeof(float) * C);
  }
#pragma omp parallel for collapse(2) schedule(static) \
    num_threads(std::min(threads, omp_get_max_threads()))
  for (int i = 0; i < n; ++i) {
    for (int h = 0; h < H; ++h) {
      float* s = scratch + int64_t{omp_get_thread_num()} * T;
      const float* q = qkv + int64_t{i} * 3 * C + h * hs;
      const float* keys = key_cache + int64_t{i} * T * C + h * hs;
      const float* vals = value_cache + int64_t{i} * T * C + h * hs;
      const int p = positions[i];
      float max = -INFINITY;
      for (int t2 = 0; t2 <= p; ++t2) {
        float dot = 0.0f;
#pragma omp simd reduction(+ : dot)
        for (int d = 0; d < hs; ++d) dot += q[d] * keys[int64_t{t2} * C + d];
        s[t2] = dot * scale;
        max = s[t2] > max ? s[t2] : max;
      }
      float sum = 0.0f;
      for (int t2 = 0; t2 <= p; ++t2) {
        s[t2] = fast_exp(s[t2] - max);
        sum += s[t2];
      }
      // Normalised inside the weighted sum (not by a reciprocal, as attention_forward does): the
      // decoder has always computed it this way, and generation stays bit-identical.
      float* o = out + int64_t{i} * C + h * hs;
      std::fill(o, o + hs, 0.0f);
      for (int t2 = 0; t2 <= p; ++t2) {
        const float a = s[t2] / sum;
#pragma omp simd
        for (int d = 0; d < hs; ++d) o[d] += a * vals[int64_t{t2} * C + d];
      }
    }
  }
}

}  // namespace emlab::nn::ops
