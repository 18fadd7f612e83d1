#include "nn/kv_decoder.hpp"

#include <omp.h>

#include <algorithm>

#include "core/error.hpp"
#include "nn/forward.hpp"
#include "nn/ops/ops.hpp"

namespace emlab::nn {

KvDecoder::KvDecoder(const Gpt& model, int max_batch)
    : model_(model),
      max_batch_(max_batch),
      threads_(std::max(omp_get_max_threads(), omp_get_num_procs())) {
  const ModelConfig& c = model.config();
  require(max_batch > 0, "decoder batch: must be positive (got {})", max_batch);
  const size_t B = static_cast<size_t>(max_batch), T = static_cast<size_t>(c.context),
               C = static_cast<size_t>(c.width), V = static_cast<size_t>(c.vocab_size),
               L = static_cast<size_t>(c.layers);
  keys_.assign(L * B * T * C, 0.0f);
  values_.assign(L * B * T * C, 0.0f);
  block_buffer_.assign(static_cast<size_t>(bind_block_activations(c, max_batch, nullptr, nullptr)),
                       0.0f);
  bind_block_activations(c, max_batch, block_buffer_.data(), &block_);
  embedded_.resize(B * C);
  final_ln_.resize(B * C);
  final_mean_.resize(B);
  final_rstd_.resize(B);
  logits_.resize(B * V);
  scores_.resize(static_cast<size_t>(threads_) * T);
  filled_.assign(B, 0);
}

const float* KvDecoder::step(const int32_t* tokens, const int32_t* positions, int n) {
  const ModelConfig& c = model_.config();
  const ModelTensors& w = model_.weights();
  const int V = c.vocab_size, T = c.context;
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
  const int64_t layer_stride = int64_t{max_batch_} * T * c.width;

  ops::encoder_step_forward(embedded_.data(), tokens, positions, w.wte, w.wpe, n, c.width);
  const float* x = embedded_.data();
  for (int l = 0; l < c.layers; ++l) {
    float* layer_keys = keys_.data() + l * layer_stride;
    float* layer_values = values_.data() + l * layer_stride;
    block_forward(c, w.blocks[static_cast<size_t>(l)], model_.ablation(), l, x, block_, n,
                  [&](const float* qkv, float* out) {
                    ops::attention_step(out, layer_keys, layer_values, qkv, positions,
                                        scores_.data(), threads_, n, T, c.width, c.heads);
                  });
    x = block_.output();
  }
  logits_forward(c, w, x, final_ln_.data(), final_mean_.data(), final_rstd_.data(), logits_.data(),
                 n);
  return logits_.data();
}

}  // namespace emlab::nn
