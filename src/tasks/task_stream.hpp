#pragma once
// Training tokens from a weighted mixture of tasks. Each (B,T) row holds one or more whole
// examples "<bos> prompt answer" (the answer ends with <eos>), then <pad> to the end. Targets are
// the next token on answer tokens only (optionally on prompt tokens too) and -1 elsewhere, so the
// loss is the answer's log-likelihood. Rows attend across the examples packed into them.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "tasks/task.hpp"
#include "train/token_stream.hpp"

namespace emlab::tasks {

struct MixtureConfig {
  std::vector<TaskSpec> tasks;  // each with its weight (positive; normalised over the mixture)
  // 0: a fresh example every time. N > 0: a fixed pool of N distinct training examples drawn
  // once, then served over and over, reshuffled each epoch (repetition versus diversity). The
  // pool is split among the tasks by their weights (one pool per task) and each example's task is
  // drawn by weight as in fresh mode, so a pool serves exactly the fresh stream's task mix. A task
  // with fewer distinct training examples than its share pools all of them (describe() says so).
  int64_t pool_size = 0;
  bool score_prompt = false;  // also score the prompt tokens (not <bos>)
  bool pack = true;           // several examples per row; false = one example per row
};

class TaskStream final : public train::TokenStream {
 public:
  // Throws emlab::Error for an empty mixture, a bad weight, a bad task or a negative pool size.
  TaskStream(const MixtureConfig& config, uint64_t seed);

  int vocab_size() const override;
  // Throws emlab::Error naming the task and the lengths when an example is longer than T.
  void next_batch(int B, int T, int32_t* tokens, int32_t* targets) override;
  std::string save_state() const override;
  void restore_state(const std::string& state) override;
  std::string describe() const override;

  // The next training example (what next_batch packs); `source` gets its task's index.
  Example next_example(int* source = nullptr);
  const std::vector<std::unique_ptr<Task>>& tasks() const { return tasks_; }
  // Per task, its pool (all empty unless pool_size > 0).
  const std::vector<std::vector<Example>>& pools() const { return pools_; }
  int64_t examples_drawn() const { return drawn_; }

 private:
  int pick_source(Rng& rng) const;
  std::string fingerprint() const;  // of the mixture and seed
  void fill_pools(int64_t pool_size);
  // The order of task `source`'s pool in the given epoch of it.
  const std::vector<int>& epoch_order(int source, int64_t epoch);

  std::vector<std::unique_ptr<Task>> tasks_;
  std::vector<double> cumulative_;  // normalised cumulative weights
  bool score_prompt_, pack_;
  uint64_t seed_;
  Rng rng_;
  int64_t drawn_ = 0;                        // examples taken so far
  std::vector<std::vector<Example>> pools_;  // per task; empty in fresh mode
  std::vector<int64_t> shares_;              // per task: the pool size its weight asks for
  std::vector<int64_t> served_;              // per task: examples served from its pool so far
  std::vector<int64_t> order_epochs_;        // per task: the epoch its cached order is for
  std::vector<std::vector<int>> orders_;
  // An example drawn but not yet placed: it did not fit in the rest of the last row.
  std::optional<Example> pending_;
  int pending_source_ = 0;
};

// The stream for a training run: a TaskStream, whose vocab_size() is kVocabSize.
std::unique_ptr<train::TokenStream> make_task_stream(const MixtureConfig& config, uint64_t seed);

}  // namespace emlab::tasks
