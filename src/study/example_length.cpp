#include "study/example_length.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "io/training_stream.hpp"
#include "tasks/factory.hpp"
#include "tasks/task_stream.hpp"
#include "text/corpus_stream.hpp"
#include "train/train_config.hpp"

namespace emlab::study {

double mean_example_tokens(const std::vector<std::string>& specs) {
  double total = 0;
  int count = 0;
  Rng rng(17);
  for (const std::string& spec : specs) {
    const auto task = tasks::make_task(tasks::parse_task_spec(spec));
    for (int i = 0; i < 2000; ++i) {
      const tasks::Example e = task->sample_train(rng);
      total += double(1 + e.prompt.size() + e.target.size());
      ++count;
    }
  }
  return count > 0 ? total / count : NAN;
}

PoolSize repeated_pool(const std::string& config_json) {
  const train::TrainConfig config =
      train::train_config_from_json(nlohmann::json::parse(config_json));
  PoolSize pool;
  if (config.data.uses_corpus() && config.data.corpus_fraction < 1) {
    const auto text = text::make_corpus_stream(config.data, text::Part::train,
                                               config.sequence_length(), 1 << 30, 0);
    pool.tokens = double(text->tokens());
    return pool;
  }
  if (config.data.pool_size <= 0) return pool;
  const auto stream = io::make_training_stream(config);
  const auto* tasks = dynamic_cast<const tasks::TaskStream*>(stream.get());
  require(tasks != nullptr, "a pool of {} examples on a stream that is not a task mixture",
          config.data.pool_size);
  for (const auto& task_pool : tasks->pools())
    for (const tasks::Example& e : task_pool) {
      pool.examples += 1;
      pool.tokens += double(1 + e.prompt.size() + e.target.size());
    }
  return pool;
}

}  // namespace emlab::study
