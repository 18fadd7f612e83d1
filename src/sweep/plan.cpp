#include <algorithm>
#include <cmath>
#include <set>

#include "core/error.hpp"
#include "sweep/sweep_config.hpp"

namespace emlab::sweep {

namespace {

std::string short_count(int64_t n) {
  if (n >= 1'000'000'000 && n % 1'000'000'000 == 0) return fmt::format("{}G", n / 1'000'000'000);
  if (n >= 1'000'000 && n % 1'000'000 == 0) return fmt::format("{}M", n / 1'000'000);
  if (n >= 1'000 && n % 1'000 == 0) return fmt::format("{}k", n / 1'000);
  return std::to_string(n);
}

}  // namespace

nn::ModelConfig shape_for_target(double target, const ShapeRule& rule,
                                 const nn::ModelConfig& base) {
  const double per_layer = (4.0 + 2.0 * rule.mlp_ratio) * rule.aspect_ratio * rule.aspect_ratio;
  const int layers = std::max(1, static_cast<int>(std::lround(std::cbrt(target / per_layer))));
  const double ideal_width = rule.aspect_ratio * layers;
  const int heads = std::max(
      1, static_cast<int>(std::lround(ideal_width / static_cast<double>(rule.head_width))));
  nn::ModelConfig m = base;
  m.layers = layers;
  m.width = heads * rule.head_width;
  m.heads = heads;
  m.mlp_width = static_cast<int>(std::lround(rule.mlp_ratio * m.width));
  return m;
}

std::vector<int64_t> checkpoint_steps(const CheckpointSchedule& schedule, int64_t steps) {
  std::set<int64_t> out;
  if (schedule.initial) out.insert(0);
  const int64_t first =
      schedule.first_step > 0 ? schedule.first_step : std::max<int64_t>(1, steps / 100);
  if (schedule.log_spaced > 0 && first < steps) {
    const double ratio = static_cast<double>(steps) / static_cast<double>(first);
    for (int k = 0; k < schedule.log_spaced; ++k) {
      const double s =
          static_cast<double>(first) * std::pow(ratio, k / double(schedule.log_spaced));
      out.insert(std::clamp<int64_t>(std::llround(s), 1, steps));
    }
  }
  out.insert(steps);
  return {out.begin(), out.end()};
}

eval::SummaryOptions summary_options(const EvalSettings& eval) {
  eval::SummaryOptions options;
  options.scoring.pass_k = {1};
  for (size_t k = 2; k < static_cast<size_t>(eval.samples); k *= 2)
    options.scoring.pass_k.push_back(k);
  if (eval.samples > 1) options.scoring.pass_k.push_back(static_cast<size_t>(eval.samples));
  return options;
}

std::vector<RunSpec> plan_sweep(const SweepConfig& config) {
  std::vector<nn::ModelConfig> shapes = config.shapes;
  std::vector<std::string> origin;  // what asked for each shape, for the duplicate message
  for (size_t i = 0; i < shapes.size(); ++i) origin.push_back(fmt::format("models.shapes[{}]", i));
  for (double target : config.rule.target_parameters) {
    shapes.push_back(shape_for_target(target, config.rule, config.base.model));
    origin.push_back(fmt::format("models.target_parameters {:g}", target));
  }
  require(!shapes.empty(), "{}: [models] needs shapes or target_parameters", config.source);
  require(!config.tokens.empty(), "{}: sweep.tokens needs at least one token budget",
          config.source);

  const int64_t tokens_per_step = int64_t{config.base.batch_size} * config.base.sequence_length();
  require(tokens_per_step > 0,
          "{}: train.batch_size ({}) and the sequence length ({}: train.seq_len, else "
          "models.context) must be positive",
          config.source, config.base.batch_size, config.base.sequence_length());
  std::vector<RunSpec> runs;
  std::set<std::string> names;
  for (size_t s = 0; s < shapes.size(); ++s) {
    const nn::ModelConfig& shape = shapes[s];
    const std::string shape_name = fmt::format("L{}-d{}", shape.layers, shape.width);
    for (size_t j = 0; j < s; ++j)
      require(!(shapes[j] == shape),
              "{}: {} and {} give the same shape {} ({} parameters); spread the targets further",
              config.source, origin[j], origin[s], shape_name, shape.parameter_count());
    for (int64_t tokens : config.tokens) {
      for (uint64_t seed : config.seeds) {
        RunSpec run;
        run.name =
            fmt::format("{}{}{}-D{}-s{}", config.run_prefix, config.run_prefix.empty() ? "" : "-",
                        shape_name, short_count(tokens), seed);
        require(names.insert(run.name).second, "{}: two runs would both be named {}", config.source,
                run.name);
        train::TrainConfig& c = run.config;
        c = config.base;
        c.model = shape;
        c.seed = seed;
        c.steps = std::max<int64_t>(1, (tokens + tokens_per_step - 1) / tokens_per_step);
        c.checkpoint_every = 0;
        c.log_every = 10;  // progress cadence (the executor reports at most twice a second)
        c.threads = 0;
        c.out_dir = "";
        if (config.lr_rule == LearningRateRule::kInverseWidth)
          c.optim.learning_rate = static_cast<float>(double(config.base.optim.learning_rate) *
                                                     config.lr_base_width / double(shape.width));
        if (config.warmup_fraction > 0)
          c.optim.warmup_steps =
              std::max(1, static_cast<int>(std::lround(config.warmup_fraction * double(c.steps))));
        try {
          c.validate();
        } catch (const Error& e) {
          fail("{}: run {}: {}", config.source, run.name, e.what());
        }
        run.checkpoint_steps = checkpoint_steps(config.checkpoints, c.steps);
        run.eval = config.eval;
        if (run.eval.tasks.empty()) run.eval.tasks = c.data.tasks;
        run.probes = config.probes;
        if (run.probes) {
          try {
            (void)run.probes->resolved_for(c.model);
          } catch (const Error& e) {
            fail("{}: run {}: [probes]: {}", config.source, run.name, e.what());
          }
        }
        runs.push_back(std::move(run));
      }
    }
  }
  return runs;
}

}  // namespace emlab::sweep
