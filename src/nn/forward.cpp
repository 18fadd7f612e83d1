#include "nn/forward.hpp"

namespace emlab::nn {

void logits_forward(const ModelConfig& c, const ModelTensors& w, const float* x, float* ln,
                    float* mean, float* rstd, float* logits, int rows) {
  ops::layernorm_forward(ln, mean, rstd, x, w.lnf_w, w.lnf_b, rows, c.width);
  ops::linear_forward(logits, ln, w.lm_head, nullptr, rows, c.width, c.vocab_size);
}

}  // namespace emlab::nn
