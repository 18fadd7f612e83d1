#include "nn/kv_decoder.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/error.hpp"
#include "nn/ops/fast_exp.hpp"
#include "nn/ops/ops.hpp"

namespace emlab::nn {

KvDecoder::KvDecoder(const Gpt& model, int max_batch) : model_(model), max_batch_(max_batch) {
  const ModelConfig& c = model.config();
  require(max_batch > 0, "decoder batch: must be positive (got {})", max_batch);
  const size_t B = static_cast<size_t>(max_batch), T = static_cast<size_t>(c.context),
               C = static_cast<size_t>(c.width), M = static_cast<size_t>(c.mlp_width),
               V = static_cast<size_t>(c.vocab_size), L = static_cast<size_t>(c.layers);
  keys_.assign(L * B * T * C, 0.0f);
  values_.assign(L * B * T * C, 0.0f);
  x_.resize(B * C);
  ln_.resize(B * C);
  mean_.resize(B);
  rstd_.resize(B);
  qkv_.resize(B * 3 * C);
  atty_.resize(B * C);
  proj_.resize(B * C);
  fch_.resize(B * M);
  fch_gelu_.resize(B * M);
  logits_.resize(B * V);
  scores_.resize(static_cast<size_t>(std::max(omp_get_max_threads(), omp_get_num_procs())) * T);
  filled_.assign(B, 0);
}

const float* KvDecoder::step(const int32_t* tokens, const int32_t* positions, int n) {
  const ModelConfig& c = model_.config();
  const ModelTensors& w = model_.weights();
  const int C = c.width, M = c.mlp_width, V = c.vocab_size, H = c.heads, hs = c.head_dim(),
            T = c.context;
  require(n > 0 && n <= max_batch_, "decoder step: {} sequences, the decoder holds 1..{}", n,
          max_batch_);
  for (int i = 0; i < n; ++i) {
    require(tokens[i] >= 0 && tokens[i] < V,
            "decoder step: token id {} of sequence {} is outside "
            "the vocabulary 0..{}",
            tokens[i], i, V - 1);
    require(positions[i] >= 0 && positions[i] < T,
            "decoder step: position {} of sequence {} is outside the context 0..{}", positions[i],
            i, T - 1);
    require(positions[i] <= filled_[static_cast<size_t>(i)],
            "decoder step: sequence {} jumps to position {} with only {} positions cached", i,
            positions[i], filled_[static_cast<size_t>(i)]);
    filled_[static_cast<size_t>(i)] = positions[i] + 1;
  }
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
  const int64_t layer_stride = int64_t{max_batch_} * T * C;

  // x (n,C) = wte[token] + wpe[position]
  for (int i = 0; i < n; ++i)
    for (int ch = 0; ch < C; ++ch)
      x_[static_cast<size_t>(i * C + ch)] =
          w.wte[int64_t{tokens[i]} * C + ch] + w.wpe[int64_t{positions[i]} * C + ch];

  for (int l = 0; l < c.layers; ++l) {
    const BlockTensors& blk = w.blocks[static_cast<size_t>(l)];
    float* kc = keys_.data() + l * layer_stride;
    float* vc = values_.data() + l * layer_stride;
    ops::layernorm_forward(ln_.data(), mean_.data(), rstd_.data(), x_.data(), blk.ln1_w, blk.ln1_b,
                           n, C);
    ops::linear_forward(qkv_.data(), ln_.data(), blk.qkv_w, blk.qkv_b, n, C, 3 * C);
    for (int i = 0; i < n; ++i) {
      const int64_t at = (int64_t{i} * T + positions[i]) * C;
      std::memcpy(kc + at, qkv_.data() + int64_t{i} * 3 * C + C, sizeof(float) * C);
      std::memcpy(vc + at, qkv_.data() + int64_t{i} * 3 * C + 2 * C, sizeof(float) * C);
    }
#pragma omp parallel for collapse(2) schedule(static)
    for (int i = 0; i < n; ++i) {
      for (int h = 0; h < H; ++h) {
        float* s = scores_.data() + int64_t{omp_get_thread_num()} * T;
        const float* q = qkv_.data() + int64_t{i} * 3 * C + h * hs;
        const float* keys = kc + int64_t{i} * T * C + h * hs;
        const float* vals = vc + int64_t{i} * T * C + h * hs;
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
          s[t2] = ops::fast_exp(s[t2] - max);
          sum += s[t2];
        }
        float* o = atty_.data() + int64_t{i} * C + h * hs;
        std::fill(o, o + hs, 0.0f);
        for (int t2 = 0; t2 <= p; ++t2) {
          const float a = s[t2] / sum;
#pragma omp simd
          for (int d = 0; d < hs; ++d) o[d] += a * vals[int64_t{t2} * C + d];
        }
      }
    }
    const Ablation* ablation = model_.ablation();
    if (ablation != nullptr) ablation->patch_heads(l, atty_.data(), n, c);
    ops::linear_forward(proj_.data(), atty_.data(), blk.proj_w, blk.proj_b, n, C, C);
    if (ablation != nullptr) ablation->patch_attention(l, proj_.data(), n, C);
    ops::residual_forward(x_.data(), x_.data(), proj_.data(), int64_t{n} * C);
    if (c.has_mlp()) {
      ops::layernorm_forward(ln_.data(), mean_.data(), rstd_.data(), x_.data(), blk.ln2_w,
                             blk.ln2_b, n, C);
      ops::linear_forward(fch_.data(), ln_.data(), blk.fc_w, blk.fc_b, n, C, M);
      ops::gelu_forward(fch_gelu_.data(), fch_.data(), int64_t{n} * M);
      ops::linear_forward(proj_.data(), fch_gelu_.data(), blk.fcproj_w, blk.fcproj_b, n, M, C);
      if (ablation != nullptr) ablation->patch_mlp(l, proj_.data(), n, C);
      ops::residual_forward(x_.data(), x_.data(), proj_.data(), int64_t{n} * C);
    }
  }
  ops::layernorm_forward(ln_.data(), mean_.data(), rstd_.data(), x_.data(), w.lnf_w, w.lnf_b, n, C);
  ops::linear_forward(logits_.data(), ln_.data(), w.lm_head, nullptr, n, C, V);
  return logits_.data();
}

}  // namespace emlab::nn
