#include "train/checkpoint.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/provenance.hpp"
#include "nn/blas.hpp"
#include "nn/safetensors.hpp"

namespace emlab::train {

namespace {
constexpr const char* kFormat = "emlab-checkpoint-v1";

std::span<const float> slice(std::span<const float> buffer, const nn::TensorSpec& t) {
  return buffer.subspan(static_cast<size_t>(t.offset), static_cast<size_t>(t.numel));
}

int64_t parse_int(const nn::SafetensorsFile& file, const std::string& key,
                  const std::filesystem::path& path) {
  const std::string& text = file.metadata_value(key);
  try {
    size_t used = 0;
    const int64_t v = std::stoll(text, &used);
    if (used == text.size()) return v;
  } catch (const std::exception&) {
  }
  fail("checkpoint {}: metadata '{}' = '{}' is not an integer", path.string(), key, text);
}

nlohmann::json parse_config_json(const nn::SafetensorsFile& file,
                                 const std::filesystem::path& path) {
  require(file.metadata().count("format") && file.metadata_value("format") == kFormat,
          "checkpoint {}: not an emlab checkpoint (metadata 'format' is not {})", path.string(),
          kFormat);
  try {
    return nlohmann::json::parse(file.metadata_value("train_config"));
  } catch (const nlohmann::json::exception& e) {
    fail("checkpoint {}: metadata 'train_config' is not valid JSON: {}", path.string(), e.what());
  }
}
// Losses as JSON numbers (shortest round-trip form, so a resumed run reads back the same doubles);
// unknown steps as null.
std::string losses_json(const std::vector<double>& losses) {
  nlohmann::json array = nlohmann::json::array();
  for (double l : losses) array.push_back(std::isfinite(l) ? nlohmann::json(l) : nullptr);
  return array.dump();
}

std::vector<double> parse_losses(const nn::SafetensorsFile& file,
                                 const std::filesystem::path& path) {
  std::vector<double> losses;
  try {
    for (const auto& v : nlohmann::json::parse(file.metadata_value("losses")))
      losses.push_back(v.is_number() ? v.get<double>() : std::numeric_limits<double>::quiet_NaN());
  } catch (const nlohmann::json::exception& e) {
    fail("checkpoint {}: metadata 'losses' is not a JSON array of numbers: {}", path.string(),
         e.what());
  }
  return losses;
}

}  // namespace

void save_checkpoint(const std::filesystem::path& path, const TrainConfig& config,
                     const nn::Gpt& model, const nn::AdamW& optimizer, const TrainState& state) {
  std::vector<nn::NamedTensor> tensors;
  for (const nn::TensorSpec& t : model.layout().tensors())
    tensors.push_back({t.name, t.shape, slice(model.parameters(), t)});
  for (const nn::TensorSpec& t : model.layout().tensors())
    tensors.push_back({"adamw.m." + t.name, t.shape, slice(optimizer.first_moment(), t)});
  for (const nn::TensorSpec& t : model.layout().tensors())
    tensors.push_back({"adamw.v." + t.name, t.shape, slice(optimizer.second_moment(), t)});
  nlohmann::json machine = machine_description();
  machine["blas"] = nn::blas_description();  // which matrix product made the numbers
  const nn::Metadata metadata = {
      {"format", kFormat},
      {"train_config", to_json(config).dump()},
      {"step", std::to_string(state.step)},
      {"tokens", std::to_string(state.tokens)},
      {"stream_state", state.stream_state},
      {"seed", std::to_string(config.seed)},
      {"code_version", code_version()},
      {"machine", machine.dump()},
      {"losses", losses_json(state.losses)},
  };
  std::filesystem::create_directories(path.parent_path().empty() ? "." : path.parent_path());
  nn::write_safetensors(path, tensors, metadata);
}

TrainConfig read_checkpoint_config(const std::filesystem::path& path) {
  const nn::SafetensorsFile file(path);
  return train_config_from_json(parse_config_json(file, path));
}

TrainState load_checkpoint(const std::filesystem::path& path, nn::Gpt& model,
                           nn::AdamW* optimizer) {
  const nn::SafetensorsFile file(path);
  const TrainConfig stored = train_config_from_json(parse_config_json(file, path));
  const nlohmann::json have = nn::to_json(stored.model), want = nn::to_json(model.config());
  for (const auto& [key, value] : want.items())
    require(have.at(key) == value,
            "checkpoint {}: model.{} is {} in the checkpoint but {} in the model being loaded",
            path.string(), key, have.at(key).dump(), value.dump());

  auto copy_into = [&](std::span<float> buffer, const std::string& prefix) {
    for (const nn::TensorSpec& t : model.layout().tensors()) {
      const auto data = file.tensor(prefix + t.name, t.shape);
      std::copy(data.begin(), data.end(), buffer.begin() + t.offset);
    }
  };
  copy_into(model.parameters(), "");
  if (optimizer != nullptr) {
    copy_into(optimizer->first_moment(), "adamw.m.");
    copy_into(optimizer->second_moment(), "adamw.v.");
  }
  TrainState state;
  state.step = parse_int(file, "step", path);
  state.tokens = parse_int(file, "tokens", path);
  state.stream_state = file.metadata_value("stream_state");
  if (file.metadata().count("losses")) state.losses = parse_losses(file, path);
  return state;
}

}  // namespace emlab::train
