#pragma once
// Runs a model on a task's held-out examples and writes one ExampleRecord per example: greedy
// output (KV-cached), teacher-forced probability of every target token, log-probability of each
// choice for multiple choice, and optional temperature samples judged by the task.
#include <cstdint>
#include <vector>

#include "eval/record.hpp"
#include "nn/gpt.hpp"
#include "tasks/task.hpp"

namespace emlab::eval {

struct EvalOptions {
  int examples = 200;        // held-out examples drawn from the task's test split
  uint64_t seed = 1;         // which held-out examples
  int batch = 32;            // sequences per forward pass / decoder step
  int extra_new_tokens = 4;  // greedy decoding may run this far past the longest target
  int samples = 0;           // temperature samples per example (pass@k, self-consistency)
  float temperature = 1.0f;
  uint64_t sample_seed = 2;
  // PassUntil (Hu et al. 2023): after the fixed samples, keep sampling each example until it has
  // pass_until_r passes or pass_until_max draws (0 = no extra sampling), pass_until_round at a
  // time.
  int pass_until_r = 2;
  int pass_until_max = 0;
  int pass_until_round = 16;
};

// `model` must have been built with max_batch >= options.batch. Throws emlab::Error if the task's
// sequences do not fit the model's context or vocabulary.
std::vector<ExampleRecord> evaluate_task(nn::Gpt& model, const tasks::Task& task,
                                         const EvalOptions& options);

}  // namespace emlab::eval
