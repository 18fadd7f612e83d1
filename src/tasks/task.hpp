#pragma once
// What every task provides: seeded training examples, a held-out test set that never overlaps the
// training stream, chance levels, and a correctness judge for generated answers.
#include <fmt/format.h>

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/rng.hpp"

namespace emlab::tasks {

// One problem. The model reads "<bos> prompt" and should write `target` (which ends with <eos>).
struct Example {
  std::string task;             // the task's name ("add", "hop", ...)
  std::vector<int32_t> prompt;  // without <bos>
  std::vector<int32_t> target;  // the answer, ending with tok::kEos
  // Multiple choice only: candidate answers (each ending with <eos>) and the correct one's index.
  std::vector<std::vector<int32_t>> choices;
  int correct = -1;

  bool operator==(const Example&) const = default;
};

// Parameters by name, as they come from a config file: values are kept as text and checked by
// the task that reads them, so an unknown or malformed parameter is reported with the task's name.
class TaskParams {
 public:
  TaskParams() = default;

  template <typename V>
  TaskParams& set(const std::string& key, const V& value) {
    if constexpr (std::is_same_v<V, bool>) {
      entries_[key] = value ? "true" : "false";
    } else if constexpr (std::is_arithmetic_v<V>) {
      entries_[key] = fmt::format("{}", value);
    } else {
      entries_[key] = std::string(value);
    }
    return *this;
  }
  const std::map<std::string, std::string>& entries() const { return entries_; }

 private:
  std::map<std::string, std::string> entries_;
};

// A task and its parameters, as named in a mixture or as a sub-skill of a composed task.
struct TaskSpec {
  std::string name;
  TaskParams params;
  double weight = 1.0;  // share in a mixture (normalised over the mixture)
};

// Reads a task's parameters, checking types and ranges, and records the effective values (given
// or default) in the order read. finish() rejects any parameter the task did not read.
class ParamReader {
 public:
  ParamReader(std::string task, const TaskParams& params);

  // `why` (if any) is appended to the range error: it says where the limit comes from.
  int64_t integer(const std::string& key, int64_t fallback, int64_t min, int64_t max,
                  std::string_view why = {});
  int integer32(const std::string& key, int fallback, int min, int max, std::string_view why = {}) {
    return static_cast<int>(integer(key, fallback, min, max, why));
  }
  uint64_t seed(const std::string& key, uint64_t fallback);
  double real(const std::string& key, double fallback, double min, double max);
  bool boolean(const std::string& key, bool fallback);

  void finish() const;
  const std::string& task() const { return task_; }
  std::string summary() const;  // "key=value key=value" of everything read

 private:
  const std::string* find(const std::string& key);
  std::string task_;
  std::map<std::string, std::string> given_;
  std::vector<std::string> read_;  // keys read, in order
  std::vector<std::pair<std::string, std::string>> effective_;
};

// How the prompt space is split: a prompt is held out for testing iff a hash of its tokens
// (salted with split_seed) falls below test_fraction of the hash range. The training sampler
// rejects such prompts, so train and test are disjoint by construction.
struct Split {
  double test_fraction = 0.1;
  uint64_t split_seed = 0;
};
uint64_t prompt_hash(std::span<const int32_t> prompt, uint64_t salt);
// Whether `prompt` falls in the test split of a task with this fraction and seed: lets a composite
// task hold out exactly what its parts hold out.
bool prompt_in_split(std::span<const int32_t> prompt, double test_fraction, uint64_t split_seed);

class Task {
 public:
  virtual ~Task() = default;

  const std::string& name() const { return name_; }
  // The effective parameters (given or default), "key=value" separated by spaces.
  const std::string& parameters() const { return parameters_; }
  std::string describe() const { return name_ + "(" + parameters_ + ")"; }

  // A training example: never one whose prompt is in the test split.
  Example sample_train(Rng& rng) const;
  // Up to n distinct held-out examples (fewer only when the test split holds fewer prompts),
  // the same for the same seed.
  std::vector<Example> test_set(int n, uint64_t seed) const;
  bool in_test_split(std::span<const int32_t> prompt) const;

  // Probability that a uniform guess over the answer space is exactly right, where the space is
  // closed (nullopt for open-ended answers such as sums).
  virtual std::optional<double> chance_exact_match() const { return std::nullopt; }
  // 1/K for tasks whose test examples carry K choices.
  virtual std::optional<double> chance_multiple_choice() const { return std::nullopt; }
  // The token that ends a scratchpad: what follows it (up to <eos>) is the final answer, the only
  // part that is judged. nullopt: the whole answer is the final answer.
  virtual std::optional<int32_t> answer_separator() const { return std::nullopt; }
  // Whether a generated answer is right. `output` is what the model wrote after the prompt; the
  // first <eos> and anything after it are ignored. Default: its final answer (final_answer, with
  // answer_separator()) equals the target's.
  virtual bool is_correct(const Example& example, std::span<const int32_t> output) const;
  // For a composed task: the tasks that are its steps, each a task of its own.
  virtual std::vector<TaskSpec> sub_skills() const { return {}; }

 protected:
  explicit Task(std::string name) : name_(std::move(name)) {}
  // Every task's constructor ends here: reads the split parameters, records the effective
  // parameters and rejects any the task did not read.
  void configure(ParamReader& reader);
  // An example from anywhere in the prompt space; `for_test` asks for a test-shaped one (e.g.
  // with choices). The base class keeps or rejects it by its split.
  virtual Example draw(Rng& rng, bool for_test) const = 0;
  // Examples outside the split (knowledge-base statements, which carry facts rather than
  // questions) go to training whatever their hash.
  virtual bool split_applies(const Example& example) const {
    (void)example;
    return true;
  }
  // Whether a drawn example may be trained on, and whether it belongs to the test set. Both follow
  // the prompt split by default; a task may split otherwise (by its parts' splits), as long as
  // nothing is both.
  virtual bool trainable(const Example& example) const {
    return !split_applies(example) || !in_test_split(example.prompt);
  }
  virtual bool testable(const Example& example) const {
    return split_applies(example) && in_test_split(example.prompt);
  }
  const Split& split() const { return split_; }
  // Builds an example of this task, appending <eos> to the answer.
  Example make_example(std::vector<int32_t> prompt, std::vector<int32_t> answer) const;

 private:
  std::string name_;
  std::string parameters_;
  Split split_;
};

// The answer with a trailing <eos> and anything after it removed.
std::span<const int32_t> strip_eos(std::span<const int32_t> tokens);

// The final answer of an answer (generated or a target): the tokens before the first <eos>, and
// of those only the ones after the first `separator` when it is a token (>= 0). nullopt when a
// separator is given and none comes before <eos>: no final answer was written.
std::optional<std::span<const int32_t>> final_answer(std::span<const int32_t> tokens,
                                                     int32_t separator);

}  // namespace emlab::tasks
