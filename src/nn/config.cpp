#include "nn/config.hpp"

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace emlab::nn {

void ModelConfig::validate() const {
  require(vocab_size > 0, "model.vocab_size: must be positive (got {})", vocab_size);
  require(context > 0, "model.context: must be positive (got {})", context);
  require(width > 0, "model.width: must be positive (got {})", width);
  require(layers > 0, "model.layers: must be at least 1 (got {})", layers);
  require(heads > 0, "model.heads: must be positive (got {})", heads);
  require(mlp_width >= 0, "model.mlp_width: must be 0 (attention-only) or positive (got {})",
          mlp_width);
  require(width % heads == 0, "model.width: {} is not divisible by model.heads = {}", width, heads);
}

int64_t ModelConfig::non_embedding_parameter_count() const {
  const int64_t C = width, M = mlp_width;
  int64_t per_layer = 2 * C                                   // ln1
                      + 3 * C * C + 3 * C                     // qkv
                      + C * C + C;                            // attention output projection
  if (has_mlp()) per_layer += 2 * C + M * C + M + C * M + C;  // ln2, fc, fc projection
  int64_t total = layers * per_layer + 2 * C;                 // + final layernorm
  if (!tied_embeddings) total += int64_t{vocab_size} * C;     // separate output projection
  return total;
}

int64_t ModelConfig::parameter_count() const {
  return non_embedding_parameter_count() + int64_t{vocab_size} * width + int64_t{context} * width;
}

double ModelConfig::training_flops_per_token(int sequence_length) const {
  const double C = width;
  double matmul_weights = static_cast<double>(non_embedding_parameter_count());
  if (tied_embeddings) matmul_weights += static_cast<double>(vocab_size) * C;
  return 6.0 * matmul_weights + 12.0 * layers * C * sequence_length;
}

nlohmann::json to_json(const ModelConfig& c) {
  return {{"vocab_size", c.vocab_size},
          {"context", c.context},
          {"width", c.width},
          {"layers", c.layers},
          {"heads", c.heads},
          {"mlp_width", c.mlp_width},
          {"tied_embeddings", c.tied_embeddings}};
}

ModelConfig model_config_from_json(const nlohmann::json& json) {
  require(json.is_object(), "model config: expected a JSON object");
  ModelConfig c;
  auto get_int = [&](const char* key, int& out) {
    require(json.contains(key) && json.at(key).is_number_integer(),
            "model config: field '{}' missing or not an integer", key);
    out = json.at(key).get<int>();
  };
  get_int("vocab_size", c.vocab_size);
  get_int("context", c.context);
  get_int("width", c.width);
  get_int("layers", c.layers);
  get_int("heads", c.heads);
  get_int("mlp_width", c.mlp_width);
  require(json.contains("tied_embeddings") && json.at("tied_embeddings").is_boolean(),
          "model config: field 'tied_embeddings' missing or not a boolean");
  c.tied_embeddings = json.at("tied_embeddings").get<bool>();
  c.validate();
  return c;
}

}  // namespace emlab::nn
