#include "nn/parameters.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace emlab::nn {

ParameterLayout::ParameterLayout(const ModelConfig& c) {
  const int64_t V = c.vocab_size, T = c.context, C = c.width, M = c.mlp_width;
  add("wte.weight", {V, C});
  add("wpe.weight", {T, C});
  for (int l = 0; l < c.layers; ++l) {
    const std::string p = fmt::format("h.{}.", l);
    add(p + "ln_1.weight", {C});
    add(p + "ln_1.bias", {C});
    add(p + "attn.qkv.weight", {3 * C, C});
    add(p + "attn.qkv.bias", {3 * C});
    add(p + "attn.proj.weight", {C, C});
    add(p + "attn.proj.bias", {C});
    if (c.has_mlp()) {
      add(p + "ln_2.weight", {C});
      add(p + "ln_2.bias", {C});
      add(p + "mlp.fc.weight", {M, C});
      add(p + "mlp.fc.bias", {M});
      add(p + "mlp.proj.weight", {C, M});
      add(p + "mlp.proj.bias", {C});
    }
  }
  add("ln_f.weight", {C});
  add("ln_f.bias", {C});
  if (!c.tied_embeddings) add("lm_head.weight", {V, C});
}

void ParameterLayout::add(std::string name, std::vector<int64_t> shape) {
  int64_t numel = 1;
  for (int64_t d : shape) numel *= d;
  const bool matrix = shape.size() >= 2;
  tensors_.push_back({std::move(name), std::move(shape), total_, numel, matrix});
  total_ += numel;
}

const TensorSpec& ParameterLayout::find(std::string_view name) const {
  for (const auto& t : tensors_)
    if (t.name == name) return t;
  fail("no parameter tensor named '{}'", name);
}

ModelTensors bind_tensors(const ModelConfig& c, const ParameterLayout& layout, float* base) {
  auto at = [&](const std::string& name) { return base + layout.find(name).offset; };
  ModelTensors m{};
  m.wte = at("wte.weight");
  m.wpe = at("wpe.weight");
  m.blocks.resize(static_cast<size_t>(c.layers));
  for (int l = 0; l < c.layers; ++l) {
    const std::string p = fmt::format("h.{}.", l);
    BlockTensors& b = m.blocks[static_cast<size_t>(l)];
    b = BlockTensors{};
    b.ln1_w = at(p + "ln_1.weight");
    b.ln1_b = at(p + "ln_1.bias");
    b.qkv_w = at(p + "attn.qkv.weight");
    b.qkv_b = at(p + "attn.qkv.bias");
    b.proj_w = at(p + "attn.proj.weight");
    b.proj_b = at(p + "attn.proj.bias");
    if (c.has_mlp()) {
      b.ln2_w = at(p + "ln_2.weight");
      b.ln2_b = at(p + "ln_2.bias");
      b.fc_w = at(p + "mlp.fc.weight");
      b.fc_b = at(p + "mlp.fc.bias");
      b.fcproj_w = at(p + "mlp.proj.weight");
      b.fcproj_b = at(p + "mlp.proj.bias");
    }
  }
  m.lnf_w = at("ln_f.weight");
  m.lnf_b = at("ln_f.bias");
  m.lm_head = c.tied_embeddings ? m.wte : at("lm_head.weight");
  return m;
}

}  // namespace emlab::nn
