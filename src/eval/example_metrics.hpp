#pragma once
// Every per-example metric of one record, for the groups the record carries (generation,
// likelihood, multiple choice, samples). Aggregation (task_summary.hpp) averages these.
#include <cstddef>
#include <optional>
#include <vector>

#include "eval/record.hpp"
#include "eval/sampling_metrics.hpp"

namespace emlab::eval {

struct ScoreOptions {
  std::vector<size_t> pass_k = {1};  // pass@k for each k; each needs k <= the sample count
  size_t pass_until_r = 2;           // r of PassUntil (2 so the unbiased form exists)
};

struct GenerationMetrics {
  bool exact_match = false;  // of the final answer when the record has an answer separator
  double token_accuracy = 0;
  size_t edit_distance = 0;
};

struct LikelihoodMetrics {
  double target_logprob = 0;   // log p(target | prompt), as recorded
  double mean_token_prob = 0;  // mean over target tokens of p(token | prefix)
};

struct ChoiceMetrics {
  size_t num_choices = 0;
  double grade = 0;  // 1, 0, or 1/m for an m-way tie at the top
  double brier = 0;
  double prob_correct = 0;
  double chance_grade = 0;      // 1/K, also the chance level of prob_correct
  double chance_brier = 0;      // (K − 1)/K
  double grade_normalised = 0;  // (grade − 1/K)/(1 − 1/K)
  double brier_skill = 0;       // (brier − (K−1)/K)/(0 − (K−1)/K) = 1 − brier·K/(K−1)
  double prob_correct_normalised = 0;
};

struct SampledMetrics {
  size_t samples = 0, passes = 0;
  std::vector<double> pass_at_k;  // aligned with ScoreOptions::pass_k
  PassUntilResult pass_until;
  VoteResult vote;
};

struct ExampleMetrics {
  std::optional<GenerationMetrics> generation;
  std::optional<LikelihoodMetrics> likelihood;
  std::optional<ChoiceMetrics> choice;
  std::optional<SampledMetrics> sampled;
};

// Validates the record (validate_record, with `label` in messages) and scores it.
ExampleMetrics score_example(const ExampleRecord& record, const ScoreOptions& options,
                             const std::string& label = "record");

}  // namespace emlab::eval
