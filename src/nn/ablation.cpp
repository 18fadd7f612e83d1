#include "nn/ablation.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>

#include "core/error.hpp"
#include "nn/gpt.hpp"

namespace emlab::nn {

namespace {

// Parses the whole of `text` as a non-negative integer, or returns -1.
int parse_index(std::string_view text) {
  int value = -1;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) return -1;
  return value;
}

template <typename T>
bool contains(const std::vector<T>& items, const T& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

}  // namespace

Ablation::Ablation(Mode mode, std::vector<HeadIndex> heads, std::vector<int> attention_layers,
                   std::vector<int> mlp_layers)
    : mode_(mode),
      heads_(std::move(heads)),
      attention_layers_(std::move(attention_layers)),
      mlp_layers_(std::move(mlp_layers)) {}

Ablation::Mode Ablation::parse_mode(const std::string& text) {
  if (text == "zero") return Mode::kZero;
  if (text == "mean") return Mode::kMean;
  fail("ablation mode '{}': expected zero or mean", text);
}

Ablation Ablation::parse(Mode mode, const std::vector<std::string>& targets) {
  Ablation a(mode, {}, {}, {});
  for (const std::string& target : targets) {
    const std::string_view t = target;
    const auto dot = t.find('.');
    const auto h = t.find('H');
    const bool layer_form = t.starts_with('L');
    int layer = -1, head = -1;
    if (layer_form && dot != std::string_view::npos) {
      layer = parse_index(t.substr(1, dot - 1));
      const std::string_view part = t.substr(dot + 1);
      if (layer >= 0 && part == "attn") {
        if (!contains(a.attention_layers_, layer)) a.attention_layers_.push_back(layer);
        continue;
      }
      if (layer >= 0 && part == "mlp") {
        if (!contains(a.mlp_layers_, layer)) a.mlp_layers_.push_back(layer);
        continue;
      }
    } else if (layer_form && h != std::string_view::npos) {
      layer = parse_index(t.substr(1, h - 1));
      head = parse_index(t.substr(h + 1));
      if (layer >= 0 && head >= 0) {
        if (!contains(a.heads_, HeadIndex{layer, head})) a.heads_.push_back({layer, head});
        continue;
      }
    }
    fail(
        "ablation target '{}': expected LxHy (head y of layer x), Lx.attn or Lx.mlp, with x and y "
        "counted from 0",
        target);
  }
  return a;
}

std::string Ablation::describe() const {
  std::vector<std::string> parts;
  for (const HeadIndex& h : heads_) parts.push_back(fmt::format("L{}H{}", h.layer, h.head));
  for (int l : attention_layers_) parts.push_back(fmt::format("L{}.attn", l));
  for (int l : mlp_layers_) parts.push_back(fmt::format("L{}.mlp", l));
  if (parts.empty()) return "nothing ablated";
  return fmt::format("{}-ablated {}", mode_ == Mode::kZero ? "zero" : "mean",
                     fmt::join(parts, ", "));
}

void Ablation::check_fits(const ModelConfig& config) const {
  auto layer_ok = [&](int l, const std::string& what) {
    require(l >= 0 && l < config.layers, "ablation target {}: layer {} is outside 0..{}", what, l,
            config.layers - 1);
  };
  for (const HeadIndex& h : heads_) {
    const std::string what = fmt::format("L{}H{}", h.layer, h.head);
    layer_ok(h.layer, what);
    require(h.head >= 0 && h.head < config.heads, "ablation target {}: head {} is outside 0..{}",
            what, h.head, config.heads - 1);
  }
  for (int l : attention_layers_) layer_ok(l, fmt::format("L{}.attn", l));
  for (int l : mlp_layers_) {
    layer_ok(l, fmt::format("L{}.mlp", l));
    require(config.has_mlp(), "ablation target L{}.mlp: the model is attention-only", l);
  }
}

void Ablation::measure_means(Gpt& model, const int32_t* tokens, int B, int T) {
  require(model.ablation() == nullptr, "ablation means must come from the unablated model");
  const ModelConfig& c = model.config();
  const int C = c.width;
  model.forward(tokens, nullptr, B, T);
  const Activations& acts = model.activations();
  const int64_t rows = int64_t{B} * T;
  auto mean_of = [&](const float* x) {
    std::vector<double> sum(static_cast<size_t>(C), 0.0);
    for (int64_t r = 0; r < rows; ++r)
      for (int ch = 0; ch < C; ++ch) sum[static_cast<size_t>(ch)] += x[r * C + ch];
    std::vector<float> mean(static_cast<size_t>(C));
    for (int ch = 0; ch < C; ++ch)
      mean[static_cast<size_t>(ch)] =
          static_cast<float>(sum[static_cast<size_t>(ch)] / static_cast<double>(rows));
    return mean;
  };
  head_means_.clear();
  attention_means_.clear();
  mlp_means_.clear();
  for (const BlockActivations& s : acts.blocks) {
    head_means_.push_back(mean_of(s.atty));
    attention_means_.push_back(mean_of(s.attproj));
    mlp_means_.push_back(c.has_mlp() ? mean_of(s.fcproj) : std::vector<float>{});
  }
}

void Ablation::patch(const std::vector<float>* means, int layer, float* x, int64_t rows, int width,
                     int begin, int end) const {
  const float* mean =
      mode_ == Mode::kMean ? means[static_cast<size_t>(layer)].data() + begin : nullptr;
  for (int64_t r = 0; r < rows; ++r) {
    float* row = x + r * width + begin;
    if (mean == nullptr)
      std::fill(row, row + (end - begin), 0.0f);
    else
      std::copy(mean, mean + (end - begin), row);
  }
}

void Ablation::patch_heads(int layer, float* head_outputs, int64_t rows,
                           const ModelConfig& config) const {
  const int hs = config.head_dim();
  for (const HeadIndex& h : heads_)
    if (h.layer == layer)
      patch(head_means_.data(), layer, head_outputs, rows, config.width, h.head * hs,
            (h.head + 1) * hs);
}

void Ablation::patch_attention(int layer, float* branch, int64_t rows, int width) const {
  if (contains(attention_layers_, layer))
    patch(attention_means_.data(), layer, branch, rows, width, 0, width);
}

void Ablation::patch_mlp(int layer, float* branch, int64_t rows, int width) const {
  if (contains(mlp_layers_, layer)) patch(mlp_means_.data(), layer, branch, rows, width, 0, width);
}

}  // namespace emlab::nn
