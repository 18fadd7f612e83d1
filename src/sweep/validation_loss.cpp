#include "sweep/validation_loss.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "io/training_stream.hpp"
#include "tasks/alphabet.hpp"
#include "tasks/factory.hpp"
#include "train/synthetic_streams.hpp"

namespace emlab::sweep {

namespace {

constexpr uint64_t kValidationSeed = 0x7a11da7e;  // held-out sets are fixed per config

struct LossSum {
  double total = 0;  // sum of per-token losses
  int64_t tokens = 0;
  void add(double mean, const std::vector<int32_t>& targets) {
    const auto n = std::count_if(targets.begin(), targets.end(), [](int32_t t) { return t >= 0; });
    total += mean * static_cast<double>(n);
    tokens += n;
  }
};

std::vector<tasks::Example> held_out_examples(const train::TrainConfig& config, int examples) {
  const auto& d = config.data;
  double weight_sum = 0;
  for (size_t i = 0; i < d.tasks.size(); ++i) weight_sum += d.weights.empty() ? 1.0 : d.weights[i];
  std::vector<tasks::Example> out;
  for (size_t i = 0; i < d.tasks.size(); ++i) {
    const double w = (d.weights.empty() ? 1.0 : d.weights[i]) / weight_sum;
    const int n = std::max(1, static_cast<int>(std::lround(w * examples)));
    const auto task = tasks::make_task(tasks::parse_task_spec(d.tasks[i]));
    for (auto& e : task->test_set(n, kValidationSeed + i)) out.push_back(std::move(e));
  }
  return out;
}

double task_mixture_loss(nn::Gpt& model, const train::TrainConfig& config, int examples) {
  const auto held_out = held_out_examples(config, examples);
  const int T = config.model.context, B = model.max_batch();
  std::vector<int32_t> tokens, targets;
  LossSum sum;
  for (size_t first = 0; first < held_out.size(); first += static_cast<size_t>(B)) {
    const size_t rows = std::min(held_out.size() - first, static_cast<size_t>(B));
    tokens.assign(rows * static_cast<size_t>(T), tasks::tok::kPad);
    targets.assign(rows * static_cast<size_t>(T), -1);
    for (size_t r = 0; r < rows; ++r) {
      const tasks::Example& e = held_out[first + r];
      std::vector<int32_t> row = {tasks::tok::kBos};
      row.insert(row.end(), e.prompt.begin(), e.prompt.end());
      const size_t answer_start = row.size();
      row.insert(row.end(), e.target.begin(), e.target.end());
      require(row.size() <= static_cast<size_t>(T),
              "validation: a {} example needs {} tokens, more than model.context = {}", e.task,
              row.size(), T);
      for (size_t i = 0; i < row.size(); ++i) {
        tokens[r * T + i] = row[i];
        if (i + 1 < row.size() && i + 1 >= answer_start) targets[r * T + i] = row[i + 1];
      }
    }
    const double mean = model.forward(tokens.data(), targets.data(), static_cast<int>(rows), T);
    sum.add(mean, targets);
  }
  return sum.tokens > 0 ? sum.total / static_cast<double>(sum.tokens)
                        : std::numeric_limits<double>::quiet_NaN();
}

double synthetic_stream_loss(nn::Gpt& model, const train::TrainConfig& config, int sequences) {
  const auto stream =
      config.data.uses_corpus()
          ? io::make_validation_stream(config, kValidationSeed)
          : train::make_synthetic_stream(config.data, config.model.vocab_size, kValidationSeed);
  const int T = config.sequence_length(), B = model.max_batch();
  std::vector<int32_t> tokens(static_cast<size_t>(B) * T), targets(tokens.size());
  LossSum sum;
  for (int done = 0; done < sequences; done += B) {
    const int rows = std::min(B, sequences - done);
    stream->next_batch(rows, T, tokens.data(), targets.data());
    targets.resize(static_cast<size_t>(rows) * T);
    sum.add(model.forward(tokens.data(), targets.data(), rows, T), targets);
    targets.resize(static_cast<size_t>(B) * T);
  }
  return sum.total / static_cast<double>(sum.tokens);
}

}  // namespace

double validation_loss(nn::Gpt& model, const train::TrainConfig& config, int examples) {
  if (examples <= 0) return std::numeric_limits<double>::quiet_NaN();
  // A text + task mixture is scored on its text alone: the pre-training loss that abilities are
  // read against (Du et al. 2024), which no task example enters.
  const bool tasks_only = config.data.uses_task_suite() && !config.data.uses_corpus();
  return tasks_only ? task_mixture_loss(model, config, examples)
                    : synthetic_stream_loss(model, config, examples);
}

}  // namespace emlab::sweep
