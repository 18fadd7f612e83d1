#pragma once
// Shape of a GPT-style decoder: every size a study varies.
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace emlab::nn {

struct ModelConfig {
  int vocab_size = 32;
  int context = 64;  // longest sequence (learned position embeddings)
  int width = 64;    // residual stream width C
  int layers = 2;
  int heads = 4;
  int mlp_width = 256;          // hidden units of the GELU MLP; 0 = attention-only blocks
  bool tied_embeddings = true;  // output projection reuses the token embedding

  int head_dim() const { return width / heads; }
  bool has_mlp() const { return mlp_width > 0; }

  // Throws emlab::Error naming the offending field ("model.width", ...).
  void validate() const;

  // Parameter counts: all, and without token/position embeddings (Kaplan's N).
  int64_t parameter_count() const;
  int64_t non_embedding_parameter_count() const;
  // Training FLOPs per token (forward + backward): 6 per non-embedding parameter, 6 per weight of
  // the output projection (a matmul even when tied), and attention's 12·L·C·T (Kaplan et al.
  // 2020, Table 1, counting the full T×T score matrix as they do).
  double training_flops_per_token(int sequence_length) const;

  bool operator==(const ModelConfig&) const = default;
};

nlohmann::json to_json(const ModelConfig& config);
ModelConfig model_config_from_json(const nlohmann::json& json);  // throws emlab::Error

}  // namespace emlab::nn
