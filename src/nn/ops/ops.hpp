#pragma once
// Forward and backward of every op in the GPT, written out (llm.c style, no autograd).
// Gradient conventions, chosen so a step never has to clear activation gradients wholesale:
// - parameter gradients always ACCUMULATE (+=): tied embeddings receive two contributions, and
//   the trainer zeroes them once per step;
// - an input gradient is WRITTEN (=) when that input has one consumer (linear, gelu, softmax,
//   attention),
//   and ACCUMULATED where it is the residual stream (layernorm, encoder); attention writes dqkv.
// Shapes: B batch, T time, C channels, V vocabulary, H heads, N = B·T rows.
#include <cstdint>

namespace emlab::nn::ops {

// out (B,T,C) = wte[tokens] + wpe[t]; wte (V,C), wpe (maxT,C)
void encoder_forward(float* out, const int32_t* tokens, const float* wte, const float* wpe, int B,
                     int T, int C);
// One decoding step: out (n,C) = wte[tokens[i]] + wpe[positions[i]], one position per sequence
void encoder_step_forward(float* out, const int32_t* tokens, const int32_t* positions,
                          const float* wte, const float* wpe, int n, int C);
// dwte, dwpe accumulated
void encoder_backward(float* dwte, float* dwpe, const float* dout, const int32_t* tokens, int B,
                      int T, int C);

// out (N,C) = (inp - mean) · rstd · weight + bias; mean, rstd (N) saved for backward
void layernorm_forward(float* out, float* mean, float* rstd, const float* inp, const float* weight,
                       const float* bias, int N, int C);
// dinp accumulated (the residual stream), dweight and dbias accumulated
void layernorm_backward(float* dinp, float* dweight, float* dbias, const float* dout,
                        const float* inp, const float* weight, const float* mean, const float* rstd,
                        int N, int C);

// out (N,OC) = inp (N,IC) · weightᵀ (IC,OC) + bias (OC); bias may be null
void linear_forward(float* out, const float* inp, const float* weight, const float* bias, int N,
                    int IC, int OC);
// dinp written; dweight, dbias accumulated (dbias in the weight gradient's pass over dout);
// dbias may be null
void linear_backward(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                     const float* weight, int N, int IC, int OC);

// How attention computes a (batch, head) pair: kAuto takes vectors over the causal triangle where
// heads have 16-64 channels and the context is a multiple of 16 (nn/ops/attention_heads.hpp), and
// sgemm on blocks of queries elsewhere; kSgemm forces sgemm (tests compare the two).
enum class AttentionKernel { kAuto, kSgemm };
// Causal multi-head self-attention on packed qkv (B,T,3C) -> out (B,T,C);
// att (B,H,T,T) holds the attention probabilities (zero above the diagonal).
void attention_forward(float* out, float* att, const float* qkv, int B, int T, int C, int H,
                       AttentionKernel kernel = AttentionKernel::kAuto);
// dqkv written; scratch: threads × T × T floats, and at most `threads` threads run
void attention_backward(float* dqkv, const float* dout, const float* qkv, const float* att,
                        float* scratch, int threads, int B, int T, int C, int H,
                        AttentionKernel kernel = AttentionKernel::kAuto);
// One decoding step against a key-value cache: row i of qkv (n,3C) is sequence i at position
// positions[i]. Its key and value are stored at that position of key_cache and value_cache
// (sequences, T, C; sequence i at row i), then its query attends over positions 0..positions[i]
// of that sequence -> out (n,C). scratch: threads × T floats, and at most `threads` threads run.
void attention_step(float* out, float* key_cache, float* value_cache, const float* qkv,
                    const int32_t* positions, float* scratch, int threads, int n, int T, int C,
                    int H);

// GELU, tanh approximation (Hendrycks & Gimpel 2016), as in GPT-2: out = gelu(inp) and
// slope = gelu'(inp) for the backward pass. slope may be inp itself: the model keeps the slope in
// place of the pre-activation, which nothing reads after this.
void gelu_forward(float* out, float* slope, const float* inp, int64_t n);
// dinp = dout ⊙ slope, written; dinp may be dout itself
void gelu_backward(float* dinp, const float* slope, const float* dout, int64_t n);

// out = a + b. Its backward is the identity on both inputs, so the model passes the residual
// stream's gradient through in place instead of calling an op.
void residual_forward(float* out, const float* a, const float* b, int64_t n);

// Softmax over V logits per row and cross-entropy against targets; a target of -1 is ignored.
// Writes probs (N,V) and per-row losses (N, zero where ignored); returns the number of rows
// counted. Backward is the gradient of the mean loss over counted rows: (p - onehot) / counted.
int softmax_cross_entropy_forward(float* probs, float* losses, const float* logits,
                                  const int32_t* targets, int N, int V);
// dlogits written
void softmax_cross_entropy_backward(float* dlogits, const float* probs, const int32_t* targets,
                                    int counted, int N, int V);

}  // namespace emlab::nn::ops
