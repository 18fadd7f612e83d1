#pragma once
// Forward activations of a batch (B,T) and the backward pass's gradient scratch, each sliced out
// of one buffer allocated for the largest batch. Binding for a smaller (B,T) only moves pointers.
#include <cstdint>
#include <vector>

#include "nn/config.hpp"

namespace emlab::nn {

struct BlockActivations {
  float *ln1, *ln1_mean, *ln1_rstd;  // (N,C), (N), (N)
  float* qkv;                        // (N,3C)
  float* atty;                       // (N,C) attention output before projection
  float* att;                        // (B,H,T,T) attention probabilities; null when not kept
  float* attproj;                    // (N,C)
  float* res2;                       // (N,C) residual after attention
  float *ln2, *ln2_mean, *ln2_rstd;  // MLP activations: null when attention-only
  float* fch_slope;  // (N,M) the MLP's pre-activation, then gelu' of it (all backward needs)
  float* fch_gelu;   // (N,M) gelu of the pre-activation
  float* fcproj;     // (N,C)
  float* res3;       // (N,C) residual after the MLP
  const float* output() const { return res3 != nullptr ? res3 : res2; }
};

struct Activations {
  float* encoded;  // (N,C)
  std::vector<BlockActivations> blocks;
  float *lnf, *lnf_mean, *lnf_rstd;  // (N,C), (N), (N)
  float* logits;                     // (N,V)
  float* probs;                      // (N,V)
  float* losses;                     // (N)
};

// Gradients of one block at a time: the backward pass reuses them layer after layer.
struct GradientScratch {
  float* dres;     // (N,C) gradient of the residual stream, accumulated through the blocks
  float* dln;      // (N,C)
  float* dqkv;     // (N,3C)
  float* datty;    // (N,C)
  float* dfch;     // (N,M) gradient of the GELU's output, then of its input (in place)
  float* dlogits;  // (N,V)
  float* attention_scratch;  // threads × T × T
};

// Floats needed for a batch of B sequences of length T; with base == nullptr only counts.
int64_t bind_activations(const ModelConfig& c, int B, int T, float* base, Activations* out);
// One block's activations for `rows` positions, without attention probabilities (att null): the
// buffers a KvDecoder step reuses for every layer.
int64_t bind_block_activations(const ModelConfig& c, int rows, float* base, BlockActivations* out);
int64_t bind_gradient_scratch(const ModelConfig& c, int B, int T, int threads, float* base,
                              GradientScratch* out);

}  // namespace emlab::nn
