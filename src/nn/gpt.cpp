#include "nn/gpt.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string_view>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "core/threads.hpp"
#include "nn/forward.hpp"
#include "nn/micro_batch.hpp"
#include "nn/ops/ops.hpp"

namespace emlab::nn {

Gpt::Gpt(const ModelConfig& config, int max_batch)
    : config_(config), layout_((config.validate(), config)), max_batch_(max_batch) {
  require(max_batch > 0, "batch size: must be positive (got {})", max_batch);
  flush_denormals_to_zero();
  params_.assign(static_cast<size_t>(layout_.total()), 0.0f);
  grads_.assign(static_cast<size_t>(layout_.total()), 0.0f);
  w_ = bind_tensors(config_, layout_, params_.data());
  g_ = bind_tensors(config_, layout_, grads_.data());
  scratch_threads_ = std::max(omp_get_max_threads(), omp_get_num_procs());
  act_buffer_.assign(
      static_cast<size_t>(bind_activations(config_, max_batch, config_.context, nullptr, nullptr)),
      0.0f);
  scratch_buffer_.assign(
      static_cast<size_t>(bind_gradient_scratch(config_, max_batch, config_.context,
                                                scratch_threads_, nullptr, nullptr)),
      0.0f);
  if (config_.tied_embeddings)
    embedding_grad_.assign(static_cast<size_t>(config_.vocab_size) * config_.width, 0.0f);
  tokens_.assign(static_cast<size_t>(max_batch) * config_.context, 0);
  targets_.assign(tokens_.size(), -1);
  bind_activations(config_, max_batch, config_.context, act_buffer_.data(), &acts_);
}

void Gpt::init_weights(uint64_t seed) {
  Rng rng(seed);
  const double residual_scale = 1.0 / std::sqrt(2.0 * config_.layers);
  for (const TensorSpec& t : layout_.tensors()) {
    float* p = params_.data() + t.offset;
    const std::string_view name = t.name;
    if (t.shape.size() >= 2) {
      const bool residual_projection =
          name.ends_with("attn.proj.weight") || name.ends_with("mlp.proj.weight");
      const double stddev = 0.02 * (residual_projection ? residual_scale : 1.0);
      for (int64_t i = 0; i < t.numel; ++i) p[i] = static_cast<float>(stddev * rng.normal());
    } else {
      const float value = name.ends_with(".bias") ? 0.0f : 1.0f;  // LayerNorm gains start at one
      std::fill(p, p + t.numel, value);
    }
  }
}

void Gpt::check_inputs(const int32_t* tokens, const int32_t* targets, int B, int T) const {
  require(B > 0 && B <= max_batch_, "batch size: {} is outside 1..{} (the model's max batch)", B,
          max_batch_);
  require(T > 0 && T <= config_.context, "sequence length: {} is outside 1..{} (model.context)", T,
          config_.context);
  const int64_t n = int64_t{B} * T;
  const int32_t V = config_.vocab_size;
  for (int64_t i = 0; i < n; ++i) {
    require(tokens[i] >= 0 && tokens[i] < V,
            "token id {} at batch {}, position {} is outside the vocabulary 0..{}", tokens[i],
            i / T, i % T, V - 1);
    if (targets != nullptr)
      require(targets[i] >= -1 && targets[i] < V,
              "target id {} at batch {}, position {} is outside the vocabulary 0..{} (or -1 to "
              "skip)",
              targets[i], i / T, i % T, V - 1);
  }
}

double Gpt::forward(const int32_t* tokens, const int32_t* targets, int B, int T) {
  check_inputs(tokens, targets, B, T);
  double sum = 0.0;
  forward_pass(tokens, targets, B, T, sum);
  return counted_ > 0 ? sum / counted_ : 0.0;
}

double Gpt::train_step(const int32_t* tokens, const int32_t* targets, int B, int T,
                       int micro_batch) {
  require(targets != nullptr, "train_step: targets are required");
  require(!ablation_, "train_step with an ablation set: ablated models are for probing only");
  check_inputs(tokens, targets, B, T);
  const int part = micro_batch > 0 ? std::min(micro_batch, B) : micro_batch_sequences(B, T);
  const int64_t n = int64_t{B} * T;
  const int counted =
      static_cast<int>(std::count_if(targets, targets + n, [](int32_t y) { return y >= 0; }));
  // Each part adds its losses to one sum and its gradients to gradients() in the order of the
  // whole batch, its share of the mean scaled by the whole batch's count.
  double sum = 0.0;
  begin_gradient();
  for (int b0 = 0; b0 < B; b0 += part) {
    const int64_t at = int64_t{b0} * T;
    forward_pass(tokens + at, targets + at, std::min(part, B - b0), T, sum);
    backward_pass(counted);
  }
  end_gradient();
  B_ = 0;  // the activations hold the last part only: nothing to view, nothing to go back through
  return counted > 0 ? sum / counted : 0.0;
}

void Gpt::forward_pass(const int32_t* tokens, const int32_t* targets, int B, int T,
                       double& loss_sum) {
  const ModelConfig& c = config_;
  const int N = B * T, C = c.width, V = c.vocab_size;
  B_ = B;
  T_ = T;
  std::copy(tokens, tokens + N, tokens_.begin());
  if (targets != nullptr)
    std::copy(targets, targets + N, targets_.begin());
  else
    std::fill(targets_.begin(), targets_.begin() + N, -1);
  bind_activations(c, B, T, act_buffer_.data(), &acts_);
  Activations& a = acts_;

  ops::encoder_forward(a.encoded, tokens_.data(), w_.wte, w_.wpe, B, T, C);
  const float* x = a.encoded;  // residual stream entering the block
  for (int l = 0; l < c.layers; ++l) {
    const BlockActivations& s = a.blocks[static_cast<size_t>(l)];
    block_forward(c, w_.blocks[static_cast<size_t>(l)], ablation(), l, x, s, N,
                  [&](const float* qkv, float* out) {
                    ops::attention_forward(out, s.att, qkv, B, T, C, c.heads);
                  });
    x = s.output();
  }
  logits_forward(c, w_, x, a.lnf, a.lnf_mean, a.lnf_rstd, a.logits, N);
  counted_ = ops::softmax_cross_entropy_forward(a.probs, a.losses, a.logits, targets_.data(), N, V);
  for (int i = 0; i < N; ++i) loss_sum += a.losses[i];  // fixed order: the loss is bit-identical
}

void Gpt::backward() {
  require(B_ > 0, "backward() called before forward()");
  require(!ablation_, "backward() with an ablation set: ablated models are for probing only");
  begin_gradient();
  backward_pass(counted_);
  end_gradient();
}

void Gpt::backward_pass(int counted) {
  const ModelConfig& c = config_;
  const int B = B_, T = T_, N = B * T, C = c.width, M = c.mlp_width, V = c.vocab_size, H = c.heads;
  const Activations& a = acts_;
  GradientScratch& d = scratch_;
  bind_gradient_scratch(c, B, T, scratch_threads_, scratch_buffer_.data(), &d);
  std::memset(d.dres, 0, sizeof(float) * static_cast<size_t>(N) * C);
  // The scratch has room for every core; the run's thread count decides how many work. (With
  // all cores here, an MPI rank that shares its node's cores with others oversubscribed them:
  // two 1-thread workers on 2 cores ran their attention on 4 threads, 1.85x slower than local.)
  const int attention_threads = std::min(scratch_threads_, omp_get_max_threads());

  ops::softmax_cross_entropy_backward(d.dlogits, a.probs, targets_.data(), counted, N, V);
  ops::linear_backward(d.dln, g_.lm_head, nullptr, d.dlogits, a.lnf, w_.lm_head, N, C, V);
  const float* x_last = a.blocks.back().output();
  ops::layernorm_backward(d.dres, g_.lnf_w, g_.lnf_b, d.dln, x_last, w_.lnf_w, a.lnf_mean,
                          a.lnf_rstd, N, C);
  // d.dres now holds the gradient of the residual stream leaving the last block. Each block adds
  // its branch's gradient to it in place: the residual additions need no op of their own.
  for (int l = c.layers - 1; l >= 0; --l) {
    const BlockTensors& w = w_.blocks[static_cast<size_t>(l)];
    const BlockTensors& g = g_.blocks[static_cast<size_t>(l)];
    const BlockActivations& s = a.blocks[static_cast<size_t>(l)];
    const float* x = l == 0 ? a.encoded : a.blocks[static_cast<size_t>(l - 1)].output();
    if (c.has_mlp()) {
      ops::linear_backward(d.dfch, g.fcproj_w, g.fcproj_b, d.dres, s.fch_gelu, w.fcproj_w, N, M, C);
      ops::gelu_backward(d.dfch, s.fch_slope, d.dfch, int64_t{N} * M);
      ops::linear_backward(d.dln, g.fc_w, g.fc_b, d.dfch, s.ln2, w.fc_w, N, C, M);
      ops::layernorm_backward(d.dres, g.ln2_w, g.ln2_b, d.dln, s.res2, w.ln2_w, s.ln2_mean,
                              s.ln2_rstd, N, C);
    }
    ops::linear_backward(d.datty, g.proj_w, g.proj_b, d.dres, s.atty, w.proj_w, N, C, C);
    ops::attention_backward(d.dqkv, d.datty, s.qkv, s.att, d.attention_scratch, attention_threads,
                            B, T, C, H);
    ops::linear_backward(d.dln, g.qkv_w, g.qkv_b, d.dqkv, s.ln1, w.qkv_w, N, C, 3 * C);
    ops::layernorm_backward(d.dres, g.ln1_w, g.ln1_b, d.dln, x, w.ln1_w, s.ln1_mean, s.ln1_rstd, N,
                            C);
  }
  ops::encoder_backward(embedding_grad_.empty() ? g_.wte : embedding_grad_.data(), g_.wpe, d.dres,
                        tokens_.data(), B, T, C);
}

void Gpt::begin_gradient() {
  std::fill(embedding_grad_.begin(), embedding_grad_.end(), 0.0f);
}

void Gpt::end_gradient() {
  float* g = g_.wte;
  for (size_t i = 0; i < embedding_grad_.size(); ++i) g[i] += embedding_grad_[i];
}

void Gpt::set_ablation(Ablation ablation) {
  ablation.check_fits(config_);
  require(ablation.mode() == Ablation::Mode::kZero || ablation.empty() || ablation.has_means(),
          "mean ablation: measure the means on a reference batch first (Ablation::measure_means)");
  if (ablation.empty())
    ablation_.reset();
  else
    ablation_ = std::move(ablation);
}

void Gpt::zero_grad() {
  std::fill(grads_.begin(), grads_.end(), 0.0f);
}

const float* Gpt::attention(int layer) const {
  require(layer >= 0 && layer < config_.layers, "attention layer {} is outside 0..{}", layer,
          config_.layers - 1);
  require(B_ > 0, "attention() called before forward()");
  return acts_.blocks[static_cast<size_t>(layer)].att;
}

}  // namespace emlab::nn
