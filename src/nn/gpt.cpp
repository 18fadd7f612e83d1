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
  const int N = B * T;
  B_ = B;
  T_ = T;
  std::copy(tokens, tokens + N, tokens_.begin());
  if (targets != nullptr)
    std::copy(targets, targets + N, targets_.begin());
  else
    std::fill(targets_.begin(), targets_.begin() + N, -1);
  const double sum = forward_pass(whole_batch_pass(B, T), counted_);
  return counted_ > 0 ? sum / counted_ : 0.0;
}

void Gpt::backward() {
  require(B_ > 0, "backward() called before forward()");
  require(!ablation_, "backward() with an ablation set: ablated models are for probing only");
  backward_pass(whole_batch_pass(B_, T_), counted_);
}

Gpt::Pass Gpt::whole_batch_pass(int B, int T) {
  // The scratch has room for every core; the run's thread count decides how many work. (With
  // all cores here, an MPI rank that shares its node's cores with others oversubscribed them:
  // two 1-thread workers on 2 cores ran their attention on 4 threads, 1.85x slower than local.)
  return {tokens_.data(),
          targets_.data(),
          B,
          T,
          act_buffer_.data(),
          &acts_,
          scratch_buffer_.data(),
          std::min(scratch_threads_, omp_get_max_threads()),
          &scratch_,
          &g_};
}

double Gpt::train_step(const int32_t* tokens, const int32_t* targets, int B, int T,
                       int micro_batch) {
  require(targets != nullptr, "train_step: targets are required");
  require(!ablation_, "train_step with an ablation set: ablated models are for probing only");
  check_inputs(tokens, targets, B, T);
  const int part = micro_batch > 0 ? std::min(micro_batch, B) : micro_batch_sequences(B, T);
  if (part >= B) {
    const double loss = forward(tokens, targets, B, T);
    backward();
    B_ = 0;  // as with parts: a train step leaves nothing to view
    return loss;
  }
  const int parts = (B + part - 1) / part;
  const int64_t n = int64_t{B} * T;
  const int counted =
      static_cast<int>(std::count_if(targets, targets + n, [](int32_t y) { return y >= 0; }));
  // Each part goes into gradients of its own, summed at the end in the order of the parts: the
  // thread count changes no bit. With no more threads than parts, the parts run side by side, a
  // thread each (in turn, so that every thread has grown its buffers after one step), and wait
  // for each other once; with more, one after another on all threads.
  const int threads = std::max(1, omp_get_max_threads());
  const bool side_by_side = threads <= parts;
  const int part_threads = side_by_side ? 1 : threads;
  prepare_parts(parts, part, T, part_threads);
  auto run_part = [&](int p) {
    Part& mine = parts_[static_cast<size_t>(p)];
    std::fill(mine.grads.begin(), mine.grads.end(), 0.0f);
    const int b0 = p * part;
    const int64_t at = int64_t{b0} * T;
    // A part's activations lie where its sequences' would in the whole batch's buffer.
    float* acts = act_buffer_.data() + bind_activations(config_, b0, T, nullptr, &mine.acts);
    const Pass pass{tokens + at,
                    targets + at,
                    std::min(part, B - b0),
                    T,
                    acts,
                    &mine.acts,
                    mine.scratch.data(),
                    part_threads,
                    &mine.scratch_view,
                    &mine.grads_view};
    int part_counted = 0;
    mine.loss_sum = forward_pass(pass, part_counted);
    backward_pass(pass, counted);
  };
  if (side_by_side) {
#pragma omp parallel for schedule(static, 1) num_threads(threads)
    for (int p = 0; p < parts; ++p) run_part(p);
  } else {
    for (int p = 0; p < parts; ++p) run_part(p);
  }
  const int64_t total = layout_.total();
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < total; ++i) {
    float sum = parts_[0].grads[static_cast<size_t>(i)];
    for (int p = 1; p < parts; ++p)
      sum += parts_[static_cast<size_t>(p)].grads[static_cast<size_t>(i)];
    grads_[static_cast<size_t>(i)] += sum;
  }
  double loss_sum = 0.0;
  for (int p = 0; p < parts; ++p) loss_sum += parts_[static_cast<size_t>(p)].loss_sum;
  B_ = 0;  // the activations hold parts of the batch: nothing to view, nothing to go back through
  return counted > 0 ? loss_sum / counted : 0.0;
}

void Gpt::prepare_parts(int parts, int part, int T, int threads) {
  const auto scratch_floats =
      static_cast<size_t>(bind_gradient_scratch(config_, part, T, threads, nullptr, nullptr));
  while (parts_.size() < static_cast<size_t>(parts)) {
    Part& added = parts_.emplace_back();
    added.grads.assign(static_cast<size_t>(layout_.total()), 0.0f);
    added.grads_view = bind_tensors(config_, layout_, added.grads.data());
  }
  for (int p = 0; p < parts; ++p) {
    Part& mine = parts_[static_cast<size_t>(p)];
    if (mine.scratch.size() < scratch_floats) mine.scratch.assign(scratch_floats, 0.0f);
  }
}

double Gpt::forward_pass(const Pass& pass, int& counted) {
  const ModelConfig& c = config_;
  const int B = pass.B, T = pass.T, N = B * T, C = c.width, V = c.vocab_size;
  bind_activations(c, B, T, pass.act_base, pass.acts);
  const Activations& a = *pass.acts;

  ops::encoder_forward(a.encoded, pass.tokens, w_.wte, w_.wpe, B, T, C);
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
  counted = ops::softmax_cross_entropy_forward(a.probs, a.losses, a.logits, pass.targets, N, V);
  double sum = 0.0;  // fixed order: the loss is bit-identical across runs
  for (int i = 0; i < N; ++i) sum += a.losses[i];
  return sum;
}

void Gpt::backward_pass(const Pass& pass, int counted) {
  const ModelConfig& c = config_;
  const int B = pass.B, T = pass.T, N = B * T, C = c.width, M = c.mlp_width, V = c.vocab_size,
            H = c.heads;
  const Activations& a = *pass.acts;
  const ModelTensors& gm = *pass.grads;
  GradientScratch& d = *pass.scratch;
  bind_gradient_scratch(c, B, T, pass.threads, pass.scratch_base, &d);
  std::memset(d.dres, 0, sizeof(float) * static_cast<size_t>(N) * C);

  ops::softmax_cross_entropy_backward(d.dlogits, a.probs, pass.targets, counted, N, V);
  ops::linear_backward(d.dln, gm.lm_head, nullptr, d.dlogits, a.lnf, w_.lm_head, N, C, V);
  const float* x_last = a.blocks.back().output();
  ops::layernorm_backward(d.dres, gm.lnf_w, gm.lnf_b, d.dln, x_last, w_.lnf_w, a.lnf_mean,
                          a.lnf_rstd, N, C);
  // d.dres now holds the gradient of the residual stream leaving the last block. Each block adds
  // its branch's gradient to it in place: the residual additions need no op of their own.
  for (int l = c.layers - 1; l >= 0; --l) {
    const BlockTensors& w = w_.blocks[static_cast<size_t>(l)];
    const BlockTensors& g = gm.blocks[static_cast<size_t>(l)];
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
    ops::attention_backward(d.dqkv, d.datty, s.qkv, s.att, d.attention_scratch, pass.threads, B, T,
                            C, H);
    ops::linear_backward(d.dln, g.qkv_w, g.qkv_b, d.dqkv, s.ln1, w.qkv_w, N, C, 3 * C);
    ops::layernorm_backward(d.dres, g.ln1_w, g.ln1_b, d.dln, x, w.ln1_w, s.ln1_mean, s.ln1_rstd, N,
                            C);
  }
  ops::encoder_backward(gm.wte, gm.wpe, d.dres, pass.tokens, B, T, C);
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
