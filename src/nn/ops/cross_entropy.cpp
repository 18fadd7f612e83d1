// Softmax + cross-entropy over the vocabulary, fused; targets of -1 are not scored.
#include <cmath>
#include <cstring>

#include "nn/ops/fast_exp.hpp"
#include "nn/ops/ops.hpp"

namespace emlab::nn::ops {

// probs (N,V), losses (N) <- logits (N,V), targets (N)
int softmax_cross_entropy_forward(float* probs, float* losses, const float* logits,
                                  const int32_t* targets, int N, int V) {
  int counted = 0;
#pragma omp parallel for schedule(static) reduction(+ : counted)
  for (int i = 0; i < N; ++i) {
    const float* z = logits + static_cast<int64_t>(i) * V;
    float* p = probs + static_cast<int64_t>(i) * V;
    // A ternary max and fast_exp vectorise where std::fmax and std::exp are scalar calls (with a
    // 4096-token vocabulary they were a sixth of a small model's step). A NaN logit still makes
    // the sum, and so the loss, NaN.
    float max = z[0];
    for (int v = 1; v < V; ++v) max = z[v] > max ? z[v] : max;
    for (int v = 0; v < V; ++v) p[v] = fast_exp(z[v] - max);
    // Eight partial sums: a single float accumulator keeps GCC from vectorising (it may not
    // reorder the additions itself), and the fixed order keeps a run reproducible.
    float lanes[8] = {};
    const int whole = V - V % 8;
    for (int block = 0; block < whole; block += 8)
      for (int k = 0; k < 8; ++k) lanes[k] += p[block + k];
    float sum = 0.0f;
    for (int rest = whole; rest < V; ++rest) sum += p[rest];
    for (float lane : lanes) sum += lane;
    const float inv = 1.0f / sum;
    for (int v = 0; v < V; ++v) p[v] *= inv;
    const int32_t y = targets[i];
    if (y >= 0) {
      // log p_y computed from logits, not from the rounded probability, so tiny p stay finite.
      losses[i] = std::log(sum) - (z[y] - max);
      ++counted;
    } else {
      losses[i] = 0.0f;
    }
  }
  return counted;
}

// dlogits (N,V) = (probs - onehot(target)) / counted, zero for ignored rows
void softmax_cross_entropy_backward(float* dlogits, const float* probs, const int32_t* targets,
                                    int counted, int N, int V) {
  const float scale = counted > 0 ? 1.0f / static_cast<float>(counted) : 0.0f;
#pragma omp parallel for schedule(static)
  for (int i = 0; i < N; ++i) {
    const int32_t y = targets[i];
    const float* p = probs + static_cast<int64_t>(i) * V;
    float* d = dlogits + static_cast<int64_t>(i) * V;
    if (y < 0) {
      std::memset(d, 0, sizeof(float) * V);
      continue;
    }
    for (int v = 0; v < V; ++v) d[v] = scale * (p[v] - (v == y ? 1.0f : 0.0f));
  }
}

}  // namespace emlab::nn::ops
