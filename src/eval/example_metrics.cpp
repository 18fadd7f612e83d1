#include "eval/example_metrics.hpp"

#include "core/error.hpp"
#include "eval/choice_metrics.hpp"
#include "eval/sequence_metrics.hpp"

namespace emlab::eval {

ExampleMetrics score_example(const ExampleRecord& record, const ScoreOptions& options,
                             const std::string& label) {
  validate_record(record, label);
  ExampleMetrics metrics;

  if (record.has_generation()) {
    metrics.generation =
        GenerationMetrics{final_answer_match(record.output, record.target, record.answer_separator),
                          token_accuracy(record.output, record.target),
                          token_edit_distance(record.output, record.target)};
  }

  if (record.has_likelihood()) {
    metrics.likelihood =
        LikelihoodMetrics{record.target_logprob, mean_token_probability(record.target_token_probs)};
  }

  if (record.has_choices()) {
    const auto correct = static_cast<size_t>(record.correct_choice);
    ChoiceMetrics c;
    c.num_choices = record.choice_logprobs.size();
    c.grade = multiple_choice_grade(record.choice_logprobs, correct);
    c.brier = brier_score(record.choice_logprobs, correct);
    c.prob_correct = correct_choice_probability(record.choice_logprobs, correct);
    c.chance_grade = 1.0 / static_cast<double>(c.num_choices);
    c.chance_brier = uniform_brier(c.num_choices);
    c.grade_normalised = chance_normalised(c.grade, c.chance_grade);
    c.brier_skill = chance_normalised(c.brier, c.chance_brier, /*best=*/0.0);
    c.prob_correct_normalised = chance_normalised(c.prob_correct, c.chance_grade);
    metrics.choice = c;
  }

  if (record.has_samples()) {
    SampledMetrics s;
    s.samples = record.samples.size();
    std::vector<bool> outcomes(s.samples);
    for (size_t i = 0; i < s.samples; ++i) {
      outcomes[i] = record.samples[i].passed;
      s.passes += outcomes[i] ? 1 : 0;
    }
    for (size_t k : options.pass_k) {
      require(k >= 1 && k <= s.samples, "{}: pass@k needs 1 <= k <= samples: k = {}, samples = {}",
              label, k, s.samples);
      s.pass_at_k.push_back(pass_at_k(s.samples, s.passes, k));
    }
    s.pass_until = pass_until(record.until_outcomes.empty() ? outcomes : record.until_outcomes,
                              options.pass_until_r);
    s.vote = majority_vote(record.samples, record.answer_separator);
    metrics.sampled = std::move(s);
  }
  return metrics;
}

}  // namespace emlab::eval
