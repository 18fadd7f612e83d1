#pragma once
// Knocking out parts of a model to see what they do: any set of attention heads, or the whole
// attention or MLP branch of a layer, replaced by zero or by its mean over a reference batch.
// block_forward (nn/forward.hpp), which Gpt::forward and KvDecoder::step both run, applies it at
// three points of every block (head outputs before the output projection, the attention branch,
// the MLP branch), so losses, scores and generated answers all see the ablated model. An empty
// Ablation changes nothing: the forward pass does not even look at it.
#include <cstdint>
#include <string>
#include <vector>

#include "nn/config.hpp"

namespace emlab::nn {

class Gpt;

struct HeadIndex {
  int layer = 0;
  int head = 0;
  bool operator==(const HeadIndex&) const = default;
};

class Ablation {
 public:
  enum class Mode { kZero, kMean };

  Ablation() = default;
  Ablation(Mode mode, std::vector<HeadIndex> heads, std::vector<int> attention_layers,
           std::vector<int> mlp_layers);

  // Parses targets such as "L1H2" (head 2 of layer 1), "L0.attn" and "L1.mlp"; throws
  // emlab::Error naming the target and the accepted forms.
  static Ablation parse(Mode mode, const std::vector<std::string>& targets);
  static Mode parse_mode(const std::string& text);  // "zero" or "mean"

  Mode mode() const { return mode_; }
  const std::vector<HeadIndex>& heads() const { return heads_; }
  const std::vector<int>& attention_layers() const { return attention_layers_; }
  const std::vector<int>& mlp_layers() const { return mlp_layers_; }
  bool empty() const { return heads_.empty() && attention_layers_.empty() && mlp_layers_.empty(); }
  std::string describe() const;  // "zero-ablated L1H2, L0.attn"

  // Throws emlab::Error for a layer, head or MLP the model does not have.
  void check_fits(const ModelConfig& config) const;

  // Mean ablation replaces each part by its average over every position of a reference batch:
  // this runs the unablated model on tokens (B,T) and keeps those averages.
  void measure_means(Gpt& model, const int32_t* tokens, int B, int T);
  bool has_means() const { return !head_means_.empty(); }

  // The hooks the forward passes call, on `rows` positions of one layer; each does nothing when
  // that layer has nothing ablated.
  void patch_heads(int layer, float* head_outputs, int64_t rows, const ModelConfig& config) const;
  void patch_attention(int layer, float* branch, int64_t rows, int width) const;
  void patch_mlp(int layer, float* branch, int64_t rows, int width) const;

 private:
  void patch(const std::vector<float>* means, int layer, float* x, int64_t rows, int width,
             int begin, int end) const;

  Mode mode_ = Mode::kZero;
  std::vector<HeadIndex> heads_;
  std::vector<int> attention_layers_, mlp_layers_;
  // Per layer, (C) each: the means of the head outputs, attention branch and MLP branch.
  std::vector<std::vector<float>> head_means_, attention_means_, mlp_means_;
};

}  // namespace emlab::nn
