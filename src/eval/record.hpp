#pragma once
// One evaluated example, as the evaluator writes it: every metric in eval/ is computed from these
// records (never from aggregates), so a table can always be recomputed, re-bootstrapped or paired
// metric against metric on the same examples.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace emlab::eval {

using Tokens = std::vector<int32_t>;

// One sampled answer (temperature sampling), judged by the task's checker.
struct Sample {
  Tokens output;
  bool passed = false;
};

struct ExampleRecord {
  std::string task;
  Tokens prompt;
  Tokens target;  // the reference answer; may be empty only for a multiple-choice-only record
  Tokens output;  // greedy decoding
  // The token that ends a scratchpad (tasks::Task::answer_separator): exact match and the vote
  // then read only the final answer after it (tasks::final_answer). -1: the whole output.
  int32_t answer_separator = -1;

  // Teacher-forced likelihood of the target (natural log). Present when target_token_probs is
  // non-empty: one probability per target token, and their log-sum is the whole-target value.
  double target_logprob = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> target_token_probs;

  // Multiple choice: log-probability of each choice (unnormalised: any common offset is fine) and
  // the index of the correct one. Empty choices and correct_choice = -1 mean "not multiple choice".
  std::vector<double> choice_logprobs;
  int64_t correct_choice = -1;

  // Sampled outputs in the order drawn (the order matters for PassUntil and for vote ties).
  std::vector<Sample> samples;
  // PassUntil's own sequence when the evaluator sampled until r passes (or a cap): it starts with
  // the outcomes of `samples` and continues past them. Empty: PassUntil reads `samples`.
  std::vector<bool> until_outcomes;

  bool has_generation() const { return !target.empty(); }
  bool has_likelihood() const { return !target_token_probs.empty(); }
  bool has_choices() const { return !choice_logprobs.empty(); }
  bool has_samples() const { return !samples.empty(); }
};

// Throws emlab::Error naming the record (by `label`) and the field at fault: likelihood sizes that
// do not match the target, probabilities outside [0, 1], a log-probability that is NaN or above 0,
// fewer than two choices, a correct index out of range, a record with neither target nor choices.
void validate_record(const ExampleRecord& record, const std::string& label);

}  // namespace emlab::eval
