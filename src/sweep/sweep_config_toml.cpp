#include "sweep/sweep_config_toml.hpp"

#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "core/error.hpp"
#include "eval/task_summary.hpp"
#include "io/toml_reader.hpp"
#include "io/train_config_toml.hpp"

namespace emlab::sweep {

namespace {

using io::TomlSection;

// A positive whole number written as an integer or a float such as 3e5.
int64_t whole_positive(const toml::node& item, TomlSection& section, const char* key) {
  const auto value = item.value<double>();
  if (!item.is_number() || !value || !(*value >= 1) || *value != std::floor(*value) ||
      *value > 1e18)
    section.invalid(key, "expected an array of positive whole numbers");
  return static_cast<int64_t>(*value);
}

std::vector<int64_t> read_whole_numbers(TomlSection& section, const char* key) {
  const toml::node* node = section.raw(key);
  if (node == nullptr) return {};
  const toml::array* array = node->as_array();
  if (array == nullptr) section.invalid(key, "expected an array of positive whole numbers");
  std::vector<int64_t> out;
  for (const toml::node& item : *array) out.push_back(whole_positive(item, section, key));
  return out;
}

void read_shapes(TomlSection& models, const std::string& source, const nn::ModelConfig& base,
                 std::vector<nn::ModelConfig>& shapes) {
  const toml::node* node = models.raw("shapes");
  if (node == nullptr) return;
  const toml::array* array = node->as_array();
  if (array == nullptr)
    models.invalid("shapes", "expected an array of tables {width, layers, heads}");
  for (size_t i = 0; i < array->size(); ++i) {
    const toml::table* table = array->get(i)->as_table();
    if (table == nullptr)
      models.invalid("shapes", fmt::format("item {} is not a table {{width, layers, heads}}", i));
    TomlSection shape(table, fmt::format("models.shapes[{}]", i), source);
    nn::ModelConfig m = base;
    m.width = 0;
    m.layers = 0;
    m.heads = 0;
    shape.read("width", m.width);
    shape.read("layers", m.layers);
    shape.read("heads", m.heads);
    m.mlp_width = std::abs(m.width) <= std::numeric_limits<int>::max() / 4 ? 4 * m.width : 0;
    shape.read("mlp_width", m.mlp_width);
    shape.reject_unknown_keys();
    if (m.width <= 0 || m.layers <= 0 || m.heads <= 0)
      models.invalid("shapes", fmt::format("item {} needs positive width, layers and heads", i));
    shapes.push_back(m);
  }
}

// The overrides a [scales] entry lists ("smoke = [\"sweep.tokens=[2e4]\", ...]"), so that one file
// describes a sweep at every scale a study runs it at. The file as written is scale "small".
std::vector<std::string> scale_overrides(const toml::table& root, const std::string& scale,
                                         const std::string& source) {
  const toml::node* scales = root.get("scales");
  if (scale.empty() || (scales == nullptr && scale == "small")) return {};
  require(scales != nullptr && scales->is_table(),
          "{}: no [scales] table, so there is no scale '{}' (only the file as written: small)",
          source, scale);
  TomlSection table(scales->as_table(), "scales", source);
  std::vector<std::string> out;
  if (table.raw(scale.c_str()) == nullptr) {
    std::vector<std::string> names;
    for (const auto& [key, value] : *scales->as_table()) names.emplace_back(key.str());
    require(scale == "small", "{}: [scales] has no '{}' (has: {})", source, scale,
            fmt::join(names, ", "));
    return {};
  }
  table.read(scale.c_str(), out);
  return out;
}

SweepConfig convert(toml::table& root, const std::string& source,
                    const std::vector<std::string>& overrides, const std::string& scale) {
  for (const auto& o : scale_overrides(root, scale, source)) io::apply_override(root, o);
  for (const auto& o : overrides) io::apply_override(root, o);
  root.erase("scales");
  io::reject_unknown_sections(
      root, {"sweep", "models", "optim", "data", "train", "checkpoints", "eval", "probes"}, source);
  SweepConfig c;
  c.source = source;
  c.base.model.vocab_size = 64;  // the task suite's alphabet
  c.base.model.context = 64;

  TomlSection sweep(root["sweep"].as_table(), "sweep", source);
  sweep.read("name", c.name);
  sweep.read("database", c.database);
  c.tokens = read_whole_numbers(sweep, "tokens");
  if (sweep.raw("seeds") != nullptr) {
    c.seeds.clear();
    for (int64_t s : read_whole_numbers(sweep, "seeds"))
      c.seeds.push_back(static_cast<uint64_t>(s));
  }
  std::string lr_rule = "constant";
  sweep.read("lr_rule", lr_rule);
  if (lr_rule == "inverse_width")
    c.lr_rule = LearningRateRule::kInverseWidth;
  else if (lr_rule != "constant")
    sweep.invalid("lr_rule",
                  fmt::format("expected \"constant\" or \"inverse_width\", got \"{}\"", lr_rule));
  sweep.read("lr_base_width", c.lr_base_width);
  sweep.read("warmup_fraction", c.warmup_fraction);
  sweep.read("parallel_runs", c.parallel_runs);
  sweep.read("threads_per_run", c.threads_per_run);
  sweep.read("keep_checkpoints", c.keep_checkpoints);
  sweep.read("resume_every_seconds", c.resume_every_seconds);
  sweep.read("run_prefix", c.run_prefix);
  sweep.reject_unknown_keys();
  if (c.run_prefix.find_first_of("/\\ ") != std::string::npos)
    sweep.invalid("run_prefix", "must not contain '/', '\\' or spaces (it starts run names)");
  if (c.tokens.empty()) sweep.invalid("tokens", "needs at least one token budget, e.g. [3e5]");
  if (c.lr_base_width <= 0) sweep.invalid("lr_base_width", "must be positive");
  if (!(c.resume_every_seconds > 0)) sweep.invalid("resume_every_seconds", "must be positive");
  if (c.warmup_fraction < 0 || c.warmup_fraction >= 1)
    sweep.invalid("warmup_fraction", "must be in [0, 1)");
  if (c.parallel_runs < 0) sweep.invalid("parallel_runs", "must not be negative");
  if (c.threads_per_run < 0) sweep.invalid("threads_per_run", "must not be negative");

  TomlSection models(root["models"].as_table(), "models", source);
  models.read("vocab_size", c.base.model.vocab_size);
  models.read("context", c.base.model.context);
  models.read("tied_embeddings", c.base.model.tied_embeddings);
  read_shapes(models, source, c.base.model, c.shapes);
  models.read("target_parameters", c.rule.target_parameters);
  models.read("aspect_ratio", c.rule.aspect_ratio);
  models.read("head_width", c.rule.head_width);
  models.read("mlp_ratio", c.rule.mlp_ratio);
  models.reject_unknown_keys();
  for (double t : c.rule.target_parameters)
    if (!(t >= 1)) models.invalid("target_parameters", "every target must be at least 1");
  if (!(c.rule.aspect_ratio > 0)) models.invalid("aspect_ratio", "must be positive");
  if (c.rule.head_width <= 0) models.invalid("head_width", "must be positive");
  if (!(c.rule.mlp_ratio >= 0)) models.invalid("mlp_ratio", "must not be negative");
  if (c.shapes.empty() && c.rule.target_parameters.empty())
    models.invalid("shapes", "give shapes = [{width, layers, heads}, ...] or target_parameters");

  TomlSection optim(root["optim"].as_table(), "optim", source);
  io::read_optim_section(optim, c.base.optim);
  optim.reject_unknown_keys();
  TomlSection data(root["data"].as_table(), "data", source);
  io::read_data_section(data, c.base.data);
  data.reject_unknown_keys();

  TomlSection train(root["train"].as_table(), "train", source);
  train.read("batch_size", c.base.batch_size);
  train.read("seq_len", c.base.seq_len);
  train.reject_unknown_keys();  // steps and seeds come from [sweep] tokens and seeds
  if (c.base.batch_size <= 0) train.invalid("batch_size", "must be positive");
  if (c.base.seq_len < 0) train.invalid("seq_len", "must not be negative (0: the context)");

  TomlSection checkpoints(root["checkpoints"].as_table(), "checkpoints", source);
  checkpoints.read("log_spaced", c.checkpoints.log_spaced);
  checkpoints.read("first_step", c.checkpoints.first_step);
  checkpoints.read("initial", c.checkpoints.initial);
  checkpoints.reject_unknown_keys();
  if (c.checkpoints.log_spaced < 0) checkpoints.invalid("log_spaced", "must not be negative");
  if (c.checkpoints.first_step < 0) checkpoints.invalid("first_step", "must not be negative");

  TomlSection eval(root["eval"].as_table(), "eval", source);
  EvalSettings& e = c.eval;
  eval.read("tasks", e.tasks);
  eval.read("examples", e.examples);
  eval.read("seed", e.seed);
  eval.read("batch", e.batch);
  eval.read("samples", e.samples);
  eval.read("temperature", e.temperature);
  eval.read("pass_until_max", e.pass_until_max);
  eval.read("metrics", e.metrics);
  eval.read("validation_examples", e.validation_examples);
  eval.reject_unknown_keys();
  if (e.examples <= 0) eval.invalid("examples", "must be positive");
  if (e.batch <= 0) eval.invalid("batch", "must be positive");
  if (e.samples < 0) eval.invalid("samples", "must not be negative");
  if (!(e.temperature > 0)) eval.invalid("temperature", "must be positive");
  if (e.pass_until_max < 0) eval.invalid("pass_until_max", "must not be negative");
  if (e.validation_examples < 0) eval.invalid("validation_examples", "must not be negative");
  const auto known = eval::metric_names(summary_options(e));
  for (const std::string& m : e.metrics)
    if (std::find(known.begin(), known.end(), m) == known.end())
      eval.invalid("metrics",
                   fmt::format("unknown metric \"{}\" (known: {})", m, fmt::join(known, ", ")));
  // A synthetic stream has no tasks of its own; probes alone are a valid evaluation, and so is
  // the validation loss of a text corpus.
  const bool corpus_loss = c.base.data.uses_corpus() && e.validation_examples > 0;
  if (e.tasks.empty() && !c.base.data.uses_task_suite() && !root.contains("probes") && !corpus_loss)
    eval.invalid("tasks",
                 "name the tasks to evaluate (the training data is not a task mixture), or probe "
                 "the checkpoints with a [probes] table");

  if (root.contains("probes")) {
    TomlSection probes(root["probes"].as_table(), "probes", source);
    probe::ProbeOptions p;
    probes.read("probes", p.probes);
    probes.read("block", p.block);
    probes.read("repeats", p.repeats);
    probes.read("rows", p.rows);
    probes.read("icl_rows", p.icl_rows);
    probes.read("seed", p.seed);
    probes.read("first_token", p.first_token);
    probes.read("last_token", p.last_token);
    probes.reject_unknown_keys();
    try {
      p.validate();
    } catch (const Error& error) {
      fail("{}: [probes]: {}", source, error.what());
    }
    c.probes = p;
  }
  return c;
}

}  // namespace

SweepConfig load_sweep_config(const std::string& path, const std::vector<std::string>& overrides,
                              const std::string& scale) {
  toml::table root = io::parse_toml_file(path);
  return convert(root, path, overrides, scale);
}

SweepConfig parse_sweep_config(const std::string& text, const std::string& source_name,
                               const std::vector<std::string>& overrides,
                               const std::string& scale) {
  toml::table root = io::parse_toml_text(text, source_name);
  return convert(root, source_name, overrides, scale);
}

}  // namespace emlab::sweep
