#include "nn/activations.hpp"

namespace emlab::nn {

namespace {
// Hands out consecutive slices; with a null base it only measures.
class Slicer {
 public:
  explicit Slicer(float* base) : base_(base) {}
  float* take(int64_t n) {
    float* p = base_ != nullptr ? base_ + used_ : nullptr;
    used_ += n;
    return p;
  }
  int64_t used() const { return used_; }

 private:
  float* base_;
  int64_t used_ = 0;
};

// One block's slices for N rows; att_floats is 0 where the caller keeps no probabilities.
void bind_block(const ModelConfig& c, int64_t N, int64_t att_floats, Slicer& s,
                BlockActivations& blk) {
  const int64_t C = c.width, M = c.mlp_width;
  blk = BlockActivations{};
  blk.ln1 = s.take(N * C);
  blk.ln1_mean = s.take(N);
  blk.ln1_rstd = s.take(N);
  blk.qkv = s.take(N * 3 * C);
  blk.atty = s.take(N * C);
  blk.att = att_floats > 0 ? s.take(att_floats) : nullptr;
  blk.attproj = s.take(N * C);
  blk.res2 = s.take(N * C);
  if (c.has_mlp()) {
    blk.ln2 = s.take(N * C);
    blk.ln2_mean = s.take(N);
    blk.ln2_rstd = s.take(N);
    blk.fch_slope = s.take(N * M);
    blk.fch_gelu = s.take(N * M);
    blk.fcproj = s.take(N * C);
    blk.res3 = s.take(N * C);
  }
}
}  // namespace

int64_t bind_activations(const ModelConfig& c, int B, int T, float* base, Activations* out) {
  const int64_t N = int64_t{B} * T, C = c.width, V = c.vocab_size, H = c.heads;
  Slicer s(base);
  Activations local;
  Activations& a = out != nullptr ? *out : local;  // resize below is free once sized: no allocation
  a.encoded = s.take(N * C);
  a.blocks.resize(static_cast<size_t>(c.layers));
  for (auto& blk : a.blocks) bind_block(c, N, int64_t{B} * H * T * T, s, blk);
  a.lnf = s.take(N * C);
  a.lnf_mean = s.take(N);
  a.lnf_rstd = s.take(N);
  a.logits = s.take(N * V);
  a.probs = s.take(N * V);
  a.losses = s.take(N);
  return s.used();
}

int64_t bind_block_activations(const ModelConfig& c, int rows, float* base, BlockActivations* out) {
  Slicer s(base);
  BlockActivations local;
  bind_block(c, rows, 0, s, out != nullptr ? *out : local);
  return s.used();
}

int64_t bind_gradient_scratch(const ModelConfig& c, int B, int T, int threads, float* base,
                              GradientScratch* out) {
  const int64_t N = int64_t{B} * T, C = c.width, M = c.mlp_width, V = c.vocab_size;
  Slicer s(base);
  GradientScratch g{};
  g.dres = s.take(N * C);
  g.dln = s.take(N * C);
  g.dqkv = s.take(N * 3 * C);
  g.datty = s.take(N * C);
  g.dfch = c.has_mlp() ? s.take(N * M) : nullptr;
  g.dlogits = s.take(N * V);
  g.attention_scratch = s.take(int64_t{threads} * T * T);
  if (out != nullptr) *out = g;
  return s.used();
}

}  // namespace emlab::nn
