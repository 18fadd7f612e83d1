#include "train/train_config.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace emlab::train {

void TrainConfig::validate() const {
  model.validate();
  require(batch_size > 0, "train.batch_size: must be positive (got {})", batch_size);
  require(seq_len >= 0, "train.seq_len: must be 0 (= model.context) or positive (got {})", seq_len);
  require(sequence_length() <= model.context, "train.seq_len: {} is longer than model.context = {}",
          seq_len, model.context);
  require(steps > 0, "train.steps: must be positive (got {})", steps);
  require(log_every >= 0, "train.log_every: must be 0 or positive (got {})", log_every);
  require(checkpoint_every >= 0, "train.checkpoint_every: must be 0 or positive (got {})",
          checkpoint_every);
  require(std::isfinite(optim.learning_rate) && optim.learning_rate > 0,
          "optim.learning_rate: must be positive (got {})", optim.learning_rate);
  require(optim.warmup_steps >= 0, "optim.warmup_steps: must be 0 or positive (got {})",
          optim.warmup_steps);
  require(optim.min_lr_ratio >= 0 && optim.min_lr_ratio <= 1,
          "optim.min_lr_ratio: must be in [0, 1] (got {})", optim.min_lr_ratio);
  require(optim.grad_clip >= 0, "optim.grad_clip: must be 0 (off) or positive (got {})",
          optim.grad_clip);
  require(optim.adamw.beta1 >= 0 && optim.adamw.beta1 < 1, "optim.beta1: must be in [0, 1)");
  require(optim.adamw.beta2 >= 0 && optim.adamw.beta2 < 1, "optim.beta2: must be in [0, 1)");
  require(optim.adamw.eps > 0, "optim.eps: must be positive");
  require(optim.adamw.weight_decay >= 0, "optim.weight_decay: must be 0 or positive");
  require(data.weights.empty() || data.weights.size() == data.tasks.size(),
          "data.weights: {} weights for {} tasks (give one per task, or none)", data.weights.size(),
          data.tasks.size());
  require(data.pool_size >= 0, "data.pool_size: must be 0 (fresh examples) or positive (got {})",
          data.pool_size);
  require(!data.is_mixture() || (data.task_share > 0 && data.task_share < 1),
          "data.task_share: with both data.corpus and data.tasks, give the share of training rows "
          "that are task examples, in (0, 1) (got {})",
          data.task_share);
  require(data.is_mixture() || data.task_share == 0,
          "data.task_share: needs both data.corpus and data.tasks (a text + task mixture)");
  require(data.corpus_fraction > 0 && data.corpus_fraction <= 1,
          "data.corpus_fraction: must be in (0, 1] (got {})", data.corpus_fraction);
  require(data.uses_corpus() || data.corpus_fraction == 1,
          "data.corpus_fraction: needs data.corpus");
  require(threads >= 0, "train.threads: must be 0 (all cores) or positive (got {})", threads);
}

nlohmann::json to_json(const TrainConfig& c) {
  nlohmann::json j = {
      {"model", nn::to_json(c.model)},
      {"optim",
       {{"learning_rate", c.optim.learning_rate},
        {"warmup_steps", c.optim.warmup_steps},
        {"min_lr_ratio", c.optim.min_lr_ratio},
        {"grad_clip", c.optim.grad_clip},
        {"beta1", c.optim.adamw.beta1},
        {"beta2", c.optim.adamw.beta2},
        {"eps", c.optim.adamw.eps},
        {"weight_decay", c.optim.adamw.weight_decay}}},
      {"data",
       {{"task", c.data.task},
        {"span", c.data.span},
        {"tasks", c.data.tasks},
        {"weights", c.data.weights},
        {"pool_size", c.data.pool_size},
        {"score_prompt", c.data.score_prompt}}},
      {"train",
       {{"batch_size", c.batch_size},
        {"seq_len", c.seq_len},
        {"steps", c.steps},
        {"seed", c.seed},
        {"log_every", c.log_every},
        {"checkpoint_every", c.checkpoint_every},
        {"out_dir", c.out_dir},
        {"threads", c.threads}}},
  };
  // Only where it means something, so that configs stored before the markov stream existed
  // compare equal to the same configs written now.
  if (c.data.task == "markov") j["data"]["successors"] = c.data.successors;
  if (c.data.task == "hops") {
    j["data"]["letters"] = c.data.letters;
    j["data"]["hops"] = c.data.hops;
  }
  if (c.data.uses_corpus()) {
    j["data"]["corpus"] = c.data.corpus;
    j["data"]["text_field"] = c.data.text_field;
    j["data"]["tokenizer"] = c.data.tokenizer;
    j["data"]["token_cache"] = c.data.token_cache;
    if (c.data.corpus_fraction != 1) j["data"]["corpus_fraction"] = c.data.corpus_fraction;
    if (c.data.is_mixture()) j["data"]["task_share"] = c.data.task_share;
  }
  return j;
}

TrainConfig train_config_from_json(const nlohmann::json& j) {
  TrainConfig c;
  try {
    c.model = nn::model_config_from_json(j.at("model"));
    const auto& o = j.at("optim");
    c.optim.learning_rate = o.at("learning_rate").get<float>();
    c.optim.warmup_steps = o.at("warmup_steps").get<int>();
    c.optim.min_lr_ratio = o.at("min_lr_ratio").get<float>();
    c.optim.grad_clip = o.at("grad_clip").get<float>();
    c.optim.adamw.beta1 = o.at("beta1").get<float>();
    c.optim.adamw.beta2 = o.at("beta2").get<float>();
    c.optim.adamw.eps = o.at("eps").get<float>();
    c.optim.adamw.weight_decay = o.at("weight_decay").get<float>();
    const auto& d = j.at("data");
    c.data.task = d.at("task").get<std::string>();
    c.data.span = d.at("span").get<int>();
    c.data.successors = d.value("successors", 2);
    c.data.letters = d.value("letters", 4);
    c.data.hops = d.value("hops", 4);
    c.data.tasks = d.value("tasks", std::vector<std::string>{});
    c.data.weights = d.value("weights", std::vector<double>{});
    c.data.pool_size = d.value("pool_size", int64_t{0});
    c.data.score_prompt = d.value("score_prompt", false);
    c.data.corpus = d.value("corpus", std::string{});
    c.data.text_field = d.value("text_field", std::string{"text"});
    c.data.tokenizer = d.value("tokenizer", std::string{"byte"});
    c.data.token_cache = d.value("token_cache", std::string{});
    c.data.corpus_fraction = d.value("corpus_fraction", 1.0);
    c.data.task_share = d.value("task_share", 0.0);
    const auto& t = j.at("train");
    c.batch_size = t.at("batch_size").get<int>();
    c.seq_len = t.at("seq_len").get<int>();
    c.steps = t.at("steps").get<int64_t>();
    c.seed = t.at("seed").get<uint64_t>();
    c.log_every = t.at("log_every").get<int>();
    c.checkpoint_every = t.at("checkpoint_every").get<int>();
    c.out_dir = t.at("out_dir").get<std::string>();
    c.threads = t.at("threads").get<int>();
  } catch (const nlohmann::json::exception& e) {
    fail("training config record: {}", e.what());
  }
  c.validate();
  return c;
}

float learning_rate_at(const OptimConfig& o, int64_t step, int64_t total_steps) {
  if (step < o.warmup_steps)
    return o.learning_rate * static_cast<float>(step + 1) / static_cast<float>(o.warmup_steps);
  const double span = static_cast<double>(std::max<int64_t>(1, total_steps - o.warmup_steps));
  const double progress = std::min(1.0, static_cast<double>(step - o.warmup_steps) / span);
  const double floor = static_cast<double>(o.learning_rate) * o.min_lr_ratio;
  return static_cast<float>(floor +
                            (o.learning_rate - floor) * 0.5 * (1.0 + std::cos(M_PI * progress)));
}

}  // namespace emlab::train
