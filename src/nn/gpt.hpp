#pragma once
// A GPT-2 style decoder-only transformer on the CPU: token and learned position embeddings,
// pre-LayerNorm blocks of causal self-attention and a GELU MLP, final LayerNorm, output
// projection. Parameters, gradients, activations and backward scratch are each one allocation
// made at construction; forward() and backward() allocate nothing.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "nn/ablation.hpp"
#include "nn/activations.hpp"
#include "nn/config.hpp"
#include "nn/parameters.hpp"

namespace emlab::nn {

class Gpt {
 public:
  // max_batch: the largest batch forward() will be given.
  Gpt(const ModelConfig& config, int max_batch);

  const ModelConfig& config() const { return config_; }
  const ParameterLayout& layout() const { return layout_; }
  int max_batch() const { return max_batch_; }

  // GPT-2 initialisation: N(0, 0.02) for matrices and embeddings, residual projections scaled by
  // 1/√(2·layers), zero biases, unit LayerNorm gains. Deterministic in the seed.
  void init_weights(uint64_t seed);

  std::span<float> parameters() { return params_; }
  std::span<const float> parameters() const { return params_; }
  std::span<float> gradients() { return grads_; }
  std::span<const float> gradients() const { return grads_; }
  const ModelTensors& weights() const { return w_; }

  // tokens, targets: (B,T) row-major. targets may be null (inference); a target of -1 is not
  // scored. Returns the mean cross-entropy over scored positions (0 if none), summed in double
  // precision in a fixed order. Throws
  // emlab::Error for sizes beyond the model or token ids outside the vocabulary.
  double forward(const int32_t* tokens, const int32_t* targets, int B, int T);
  // Accumulates into gradients() the gradient of the last forward's mean loss.
  void backward();
  // forward() and backward() on a batch with targets, in parts of micro_batch sequences (0: as
  // micro_batch_sequences chooses, nn/micro_batch.hpp) run side by side, each into gradients of
  // its own, summed in the order of the parts. Returns the mean loss. The same (B, T, parts) give
  // the same bits on any thread count; one part is forward() + backward(). Parts agree with the
  // whole batch to rounding. Leaves nothing to view: call forward() for that.
  double train_step(const int32_t* tokens, const int32_t* targets, int B, int T,
                    int micro_batch = 0);
  void zero_grad();

  // Views of the last forward pass.
  int batch() const { return B_; }
  int length() const { return T_; }
  const float* probabilities() const { return acts_.probs; }     // (B,T,V)
  const float* logits() const { return acts_.logits; }           // (B,T,V)
  const float* position_losses() const { return acts_.losses; }  // (B,T), 0 where unscored
  const float* attention(int layer) const;  // (B,H,T,T) probabilities, zero above the diagonal
  const Activations& activations() const { return acts_; }

  // Every later forward pass (and KvDecoder step) runs with these parts knocked out, until
  // clear_ablation(). Throws emlab::Error for parts the model lacks, or mean ablation without
  // measured means. backward() refuses to run while an ablation is set.
  void set_ablation(Ablation ablation);
  void clear_ablation() { ablation_.reset(); }
  const Ablation* ablation() const { return ablation_ ? &*ablation_ : nullptr; }

 private:
  void check_inputs(const int32_t* tokens, const int32_t* targets, int B, int T) const;
  // One pass through the model: a batch's inputs, and where its activations, gradient scratch
  // (with attention scratch for `threads` threads) and parameter gradients lie.
  struct Pass {
    const int32_t* tokens;
    const int32_t* targets;
    int B, T;
    float* act_base;
    Activations* acts;
    float* scratch_base;
    int threads;
    GradientScratch* scratch;
    const ModelTensors* grads;
  };
  // A part of a batch that train_step runs beside the others, with buffers of its own.
  struct Part {
    std::vector<float> scratch, grads;
    Activations acts;
    GradientScratch scratch_view{};
    ModelTensors grads_view;
    double loss_sum = 0.0;
  };
  Pass whole_batch_pass(int B, int T);
  // Grows parts_ (and their scratch, with room for `threads`) for `parts` parts of `part`
  // sequences: once per shape.
  void prepare_parts(int parts, int part, int T, int threads);
  // The pass's forward computation; returns its losses summed in order, and the positions scored.
  double forward_pass(const Pass& pass, int& counted);
  // Adds to pass.grads the gradient of the pass's losses, each divided by `counted`.
  void backward_pass(const Pass& pass, int counted);

  ModelConfig config_;
  ParameterLayout layout_;
  int max_batch_;
  std::vector<float> params_, grads_, act_buffer_, scratch_buffer_;
  ModelTensors w_, g_;
  Activations acts_;
  GradientScratch scratch_{};
  std::optional<Ablation> ablation_;       // unset: the forward pass never looks for one
  std::vector<int32_t> tokens_, targets_;  // copies of the last forward's inputs, for backward
  int scratch_threads_ = 1;
  std::vector<Part> parts_;  // train_step's parts, grown once
  int B_ = 0, T_ = 0, counted_ = 0;
};

}  // namespace emlab::nn
