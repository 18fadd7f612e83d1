#pragma once
// All parameters of a model live in one float buffer; this layout names the tensors in it.
// The same layout slices the gradient buffer and the optimiser's moment buffers.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nn/config.hpp"

namespace emlab::nn {

struct TensorSpec {
  std::string name;            // e.g. "h.0.attn.qkv.weight"
  std::vector<int64_t> shape;  // row-major
  int64_t offset = 0;          // in floats from the buffer start
  int64_t numel = 0;
  bool weight_decay = false;  // decoupled weight decay applies to matrices only
};

class ParameterLayout {
 public:
  explicit ParameterLayout(const ModelConfig& config);
  const std::vector<TensorSpec>& tensors() const { return tensors_; }
  int64_t total() const { return total_; }
  const TensorSpec& find(std::string_view name) const;  // throws emlab::Error if absent

 private:
  void add(std::string name, std::vector<int64_t> shape);
  std::vector<TensorSpec> tensors_;
  int64_t total_ = 0;
};

// Named pointers into one buffer laid out by ParameterLayout (parameters or their gradients).
struct BlockTensors {
  float *ln1_w, *ln1_b;        // (C)
  float *qkv_w, *qkv_b;        // (3C, C), (3C)
  float *proj_w, *proj_b;      // (C, C), (C)
  float *ln2_w, *ln2_b;        // (C)              null when attention-only
  float *fc_w, *fc_b;          // (M, C), (M)      null when attention-only
  float *fcproj_w, *fcproj_b;  // (C, M), (C)  null when attention-only
};

struct ModelTensors {
  float* wte;  // (V, C)
  float* wpe;  // (context, C)
  std::vector<BlockTensors> blocks;
  float *lnf_w, *lnf_b;  // (C)
  float* lm_head;        // (V, C); the same pointer as wte when embeddings are tied
};

ModelTensors bind_tensors(const ModelConfig& config, const ParameterLayout& layout, float* base);

}  // namespace emlab::nn
