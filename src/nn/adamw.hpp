#pragma once
// AdamW (Loshchilov & Hutter 2019): Adam moments with weight decay decoupled from the gradient,
// applied to matrices only (TensorSpec::weight_decay); gains, biases keep no decay.
#include <cstdint>
#include <span>
#include <vector>

#include "nn/parameters.hpp"

namespace emlab::nn {

struct AdamWConfig {
  float beta1 = 0.9f;
  float beta2 = 0.95f;
  float eps = 1e-8f;
  float weight_decay = 0.1f;
};

class AdamW {
 public:
  AdamW(const ParameterLayout& layout, AdamWConfig config);

  // One update with learning rate lr; `step` counts updates from 1 (for bias correction).
  void update(std::span<float> params, std::span<const float> grads, float lr, int64_t step);

  std::span<float> first_moment() { return m_; }
  std::span<float> second_moment() { return v_; }
  std::span<const float> first_moment() const { return m_; }
  std::span<const float> second_moment() const { return v_; }
  const AdamWConfig& config() const { return config_; }

 private:
  struct Range {
    int64_t begin, end;
    bool decay;
  };
  std::vector<Range> ranges_;  // contiguous runs of tensors sharing a decay setting
  AdamWConfig config_;
  std::vector<float> m_, v_;
};

}  // namespace emlab::nn
