// Token + position embedding, for whole sequences and for one decoding step.
#include "nn/ops/ops.hpp"

namespace emlab::nn::ops {

namespace {
// The embedding of one position: both forwards go through here, so they cannot drift apart.
inline void embed(float* out, const float* token_row, const float* position_row, int C) {
#pragma omp simd
  for (int c = 0; c < C; ++c) out[c] = token_row[c] + position_row[c];
}
}  // namespace

// out (B,T,C) = wte (V,C)[tokens (B,T)] + wpe (maxT,C)[t]
void encoder_forward(float* out, const int32_t* tokens, const float* wte, const float* wpe, int B,
                     int T, int C) {
#pragma omp parallel for collapse(2) schedule(static)
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < T; ++t)
      embed(out + (static_cast<int64_t>(b) * T + t) * C,
            wte + static_cast<int64_t>(tokens[b * T + t]) * C, wpe + static_cast<int64_t>(t) * C,
            C);
}

// out (n,C) = wte[tokens (n)] + wpe[positions (n)]; a few rows, so no threads
void encoder_step_forward(float* out, const int32_t* tokens, const int32_t* positions,
                          const float* wte, const float* wpe, int n, int C) {
  for (int i = 0; i < n; ++i)
    embed(out + static_cast<int64_t>(i) * C, wte + static_cast<int64_t>(tokens[i]) * C,
          wpe + static_cast<int64_t>(positions[i]) * C, C);
}

// Scatter-add into the embedding rows. Serial on purpose: rows collide when tokens repeat, the
// work is B·T·C adds (well under 1% of a step), and a fixed order keeps results bit-identical.
void encoder_backward(float* dwte, float* dwpe, const float* dout, const int32_t* tokens, int B,
                      int T, int C) {
  for (int b = 0; b < B; ++b) {
    for (int t = 0; t < T; ++t) {
      const float* d = dout + (static_cast<int64_t>(b) * T + t) * C;
      float* de = dwte + static_cast<int64_t>(tokens[b * T + t]) * C;
      float* dp = dwpe + static_cast<int64_t>(t) * C;
#pragma omp simd
      for (int c = 0; c < C; ++c) {
        de[c] += d[c];
        dp[c] += d[c];
      }
    }
  }
}

}  // namespace emlab::nn::ops
