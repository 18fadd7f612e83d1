#include "eval/record.hpp"

#include "core/error.hpp"
#include "tasks/task.hpp"

namespace emlab::eval {

void validate_record(const ExampleRecord& record, const std::string& label) {
  require(record.has_generation() || record.has_choices(),
          "{}: record has neither target tokens nor choice_logprobs", label);

  require(record.answer_separator < 0 || !record.has_generation() ||
              tasks::final_answer(record.target, record.answer_separator).has_value(),
          "{}: answer_separator {} does not occur in the target, so it has no final answer", label,
          record.answer_separator);

  if (record.has_likelihood()) {
    require(record.target_token_probs.size() == record.target.size(),
            "{}: target_token_probs has {} entries but target has {} tokens", label,
            record.target_token_probs.size(), record.target.size());
    for (size_t i = 0; i < record.target_token_probs.size(); ++i) {
      const double p = record.target_token_probs[i];
      require(p >= 0.0 && p <= 1.0,
              "{}: target_token_probs[{}] = {} is not a probability in [0, 1]", label, i, p);
    }
    // -inf is allowed: a target token of probability zero.
    require(!std::isnan(record.target_logprob) && record.target_logprob <= 0.0,
            "{}: target_logprob = {} must be a log-probability (<= 0, not NaN)", label,
            record.target_logprob);
  } else {
    require(std::isnan(record.target_logprob),
            "{}: target_logprob is set but target_token_probs is empty", label);
  }

  if (record.has_choices()) {
    const size_t k = record.choice_logprobs.size();
    // One choice has no chance level to normalise against and no question to grade.
    require(k >= 2, "{}: choice_logprobs has {} choice; multiple choice needs at least 2", label,
            k);
    require(record.correct_choice >= 0 && static_cast<size_t>(record.correct_choice) < k,
            "{}: correct_choice = {} is out of range for {} choices (0..{})", label,
            record.correct_choice, k, k - 1);
    bool any_finite = false;
    for (size_t j = 0; j < k; ++j) {
      const double l = record.choice_logprobs[j];
      require(!std::isnan(l) && l != std::numeric_limits<double>::infinity(),
              "{}: choice_logprobs[{}] = {} is not a log-probability", label, j, l);
      any_finite = any_finite || std::isfinite(l);
    }
    require(any_finite, "{}: every entry of choice_logprobs is -inf", label);
  } else {
    require(record.correct_choice == -1,
            "{}: correct_choice = {} is set but choice_logprobs is empty", label,
            record.correct_choice);
  }
}

}  // namespace emlab::eval
