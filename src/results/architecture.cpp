#include "results/architecture.hpp"

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace emlab::results {

Architecture read_architecture(const std::string& config_json) {
  const nlohmann::json config = nlohmann::json::parse(config_json, nullptr, false);
  require(!config.is_discarded(), "its stored config is not valid JSON");
  require(config.is_object() && config.contains("model") && config["model"].is_object(),
          "its stored config has no 'model' table");
  const nlohmann::json& model = config["model"];
  Architecture a;
  for (auto [key, field] :
       {std::pair{"layers", &a.layers}, std::pair{"width", &a.width}, std::pair{"heads", &a.heads},
        std::pair{"mlp_width", &a.mlp_width}, std::pair{"vocab_size", &a.vocab_size},
        std::pair{"context", &a.context}}) {
    require(model.contains(key) && model[key].is_number_integer(),
            "its stored config's model.{} is missing or not an integer", key);
    *field = model[key].get<int>();
  }
  require(a.layers > 0, "its stored config's model.layers is {}, expected at least 1", a.layers);
  return a;
}

}  // namespace emlab::results
