#include "io/train_config_toml.hpp"

#include <cstdlib>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "io/toml_reader.hpp"

namespace emlab::io {

namespace {

train::TrainConfig convert(toml::table& root, const std::string& source,
                           const std::vector<std::string>& overrides) {
  for (const auto& o : overrides) apply_override(root, o);
  reject_unknown_sections(root, {"model", "optim", "data", "train"}, source);
  train::TrainConfig c;

  TomlSection model(root["model"].as_table(), "model", source);
  model.read("vocab_size", c.model.vocab_size);
  model.read("context", c.model.context);
  model.read("width", c.model.width);
  model.read("layers", c.model.layers);
  model.read("heads", c.model.heads);
  // GPT-2's ratio unless given; a width too large for it is left to validation (0 is refused
  // there), never overflowed here (fuzzing found width = -688888888).
  c.model.mlp_width =
      std::abs(c.model.width) <= std::numeric_limits<int>::max() / 4 ? 4 * c.model.width : 0;
  model.read("mlp_width", c.model.mlp_width);
  model.read("tied_embeddings", c.model.tied_embeddings);
  model.reject_unknown_keys();

  TomlSection optim(root["optim"].as_table(), "optim", source);
  read_optim_section(optim, c.optim);
  optim.reject_unknown_keys();

  TomlSection data(root["data"].as_table(), "data", source);
  read_data_section(data, c.data);
  data.reject_unknown_keys();

  TomlSection train(root["train"].as_table(), "train", source);
  train.read("batch_size", c.batch_size);
  train.read("seq_len", c.seq_len);
  train.read("steps", c.steps);
  train.read("seed", c.seed);
  train.read("log_every", c.log_every);
  train.read("checkpoint_every", c.checkpoint_every);
  train.read("out_dir", c.out_dir);
  train.read("threads", c.threads);
  train.reject_unknown_keys();

  try {
    c.validate();
  } catch (const Error& e) {
    throw Error(source + ": " + e.what());
  }
  return c;
}

// The recorded JSON form of a config as a TOML table, so overrides and checks run unchanged.
toml::table json_to_toml(const nlohmann::json& object) {
  toml::table table;
  for (const auto& [key, value] : object.items()) {
    if (value.is_object())
      table.insert(key, json_to_toml(value));
    else if (value.is_boolean())
      table.insert(key, value.get<bool>());
    else if (value.is_number_integer())
      table.insert(key, value.get<int64_t>());
    else if (value.is_number())
      table.insert(key, value.get<double>());
    else if (value.is_string())
      table.insert(key, value.get<std::string>());
  }
  return table;
}

}  // namespace

void read_optim_section(TomlSection& optim, train::OptimConfig& o) {
  optim.read("learning_rate", o.learning_rate);
  optim.read("warmup_steps", o.warmup_steps);
  optim.read("min_lr_ratio", o.min_lr_ratio);
  optim.read("grad_clip", o.grad_clip);
  optim.read("beta1", o.adamw.beta1);
  optim.read("beta2", o.adamw.beta2);
  optim.read("eps", o.adamw.eps);
  optim.read("weight_decay", o.adamw.weight_decay);
}

void read_data_section(TomlSection& data, train::StreamConfig& d) {
  data.read("task", d.task);
  data.read("span", d.span);
  data.read("successors", d.successors);
  data.read("letters", d.letters);
  data.read("hops", d.hops);
  data.read("tasks", d.tasks);
  data.read("weights", d.weights);
  data.read("pool_size", d.pool_size);
  data.read("score_prompt", d.score_prompt);
  data.read("corpus", d.corpus);
  data.read("text_field", d.text_field);
  data.read("tokenizer", d.tokenizer);
  data.read("token_cache", d.token_cache);
  data.read("corpus_fraction", d.corpus_fraction);
  data.read("task_share", d.task_share);
}

train::TrainConfig override_train_config(const train::TrainConfig& base,
                                         const std::vector<std::string>& overrides) {
  toml::table root = json_to_toml(train::to_json(base));
  return convert(root, "(checkpoint config)", overrides);
}

train::TrainConfig load_train_config(const std::string& path,
                                     const std::vector<std::string>& overrides) {
  toml::table root = path.empty() ? toml::table{} : parse_toml_file(path);
  return convert(root, path.empty() ? "(defaults)" : path, overrides);
}

train::TrainConfig parse_train_config(const std::string& text, const std::string& source_name,
                                      const std::vector<std::string>& overrides) {
  toml::table root = parse_toml_text(text, source_name);
  return convert(root, source_name, overrides);
}

}  // namespace emlab::io
