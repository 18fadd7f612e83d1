#pragma once
// The model's forward computation past the embedding, written once: Gpt::forward runs it on whole
// sequences, KvDecoder::step on one new position per sequence against its key-value cache, so an
// architecture change is one edit here and both see it. (The embedding is one op each,
// ops::encoder_forward and ops::encoder_step_forward, which share their row code.)
#include <cstdint>

#include "nn/ablation.hpp"
#include "nn/activations.hpp"
#include "nn/config.hpp"
#include "nn/ops/ops.hpp"
#include "nn/parameters.hpp"

namespace emlab::nn {

// Block `layer` on `rows` positions of the residual stream x (rows, C); the stream after the
// block is left in s.output(). x may be s.output() itself (one set of buffers reused for every
// layer): the attention residual is the last to read it, and adds into it in place if anything.
// attend(qkv, out) is the attention: out (rows, C) from the packed qkv (rows, 3C), over whole
// causal sequences or against a cache. A template so that the call allocates nothing and costs no
// indirection. The ablation hooks run here and nowhere else; `ablation` may be null.
template <class Attend>
void block_forward(const ModelConfig& c, const BlockTensors& w, const Ablation* ablation, int layer,
                   const float* x, const BlockActivations& s, int rows, Attend&& attend) {
  const int C = c.width, M = c.mlp_width;
  ops::layernorm_forward(s.ln1, s.ln1_mean, s.ln1_rstd, x, w.ln1_w, w.ln1_b, rows, C);
  ops::linear_forward(s.qkv, s.ln1, w.qkv_w, w.qkv_b, rows, C, 3 * C);
  attend(s.qkv, s.atty);
  if (ablation != nullptr) ablation->patch_heads(layer, s.atty, rows, c);
  ops::linear_forward(s.attproj, s.atty, w.proj_w, w.proj_b, rows, C, C);
  if (ablation != nullptr) ablation->patch_attention(layer, s.attproj, rows, C);
  ops::residual_forward(s.res2, x, s.attproj, int64_t{rows} * C);
  if (c.has_mlp()) {
    ops::layernorm_forward(s.ln2, s.ln2_mean, s.ln2_rstd, s.res2, w.ln2_w, w.ln2_b, rows, C);
    ops::linear_forward(s.fch_slope, s.ln2, w.fc_w, w.fc_b, rows, C, M);
    ops::gelu_forward(s.fch_gelu, s.fch_slope, s.fch_slope, int64_t{rows} * M);
    ops::linear_forward(s.fcproj, s.fch_gelu, w.fcproj_w, w.fcproj_b, rows, M, C);
    if (ablation != nullptr) ablation->patch_mlp(layer, s.fcproj, rows, C);
    ops::residual_forward(s.res3, s.res2, s.fcproj, int64_t{rows} * C);
  }
}

// logits (rows, V) = final LayerNorm of the residual stream x (rows, C), times lm_headᵀ; the
// normalised stream and its statistics land in ln (rows, C), mean and rstd (rows).
void logits_forward(const ModelConfig& c, const ModelTensors& w, const float* x, float* ln,
                    float* mean, float* rstd, float* logits, int rows);

}  // namespace emlab::nn
