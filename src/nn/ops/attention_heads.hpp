#pragma once
// Causal attention of one (batch, head) pair written with vectors (FloatLanes) instead of sgemm
// calls, for heads of 16, 32, 48 or 64 channels and contexts that are a multiple of 16: the
// shapes of every trainer bench and study. A head's row is then one to four vectors, so scores,
// softmax and the weighted sum run over each query's own keys only (the causal triangle), with no
// packing per product. nn/ops/attention.cpp chooses it; its sums run in the same order as its
// sgemm path, which it matches (tests/nn/test_attention_heads.cpp).
#include <cstdint>

namespace emlab::nn::ops {

// True when heads of hs channels over a context of T can take the vector path.
bool attention_heads_fit(int hs, int T);

// q, k, v: row t of each at q + t·stride (hs channels); att (T,T) gets the probabilities (zero
// above the diagonal), out row t at out + t·out_stride. scratch: hs·T floats.
void attention_pair_forward(float* out, int64_t out_stride, float* att, const float* q,
                            const float* k, const float* v, int64_t stride, int hs, int T,
                            float scale, float* scratch);

// Gradients of one pair, written: dq, dk, dv rows `stride` apart, from dout (rows out_stride
// apart) and the forward pass's q, k, v, att. ds: T·T floats, scratch: hs·T floats.
void attention_pair_backward(float* dq, float* dk, float* dv, int64_t stride, const float* dout,
                             int64_t out_stride, const float* q, const float* k, const float* v,
                             const float* att, int hs, int T, float scale, float* ds,
                             float* scratch);

}  // namespace emlab::nn::ops
