#include "eval/choice_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.hpp"

namespace emlab::eval {
namespace {

void check_correct(const std::vector<double>& choice_logprobs, size_t correct, const char* what) {
  require(!choice_logprobs.empty(), "{}: choice_logprobs is empty", what);
  require(correct < choice_logprobs.size(), "{}: correct choice {} is out of range for {} choices",
          what, correct, choice_logprobs.size());
}

}  // namespace

std::vector<double> choice_probabilities(const std::vector<double>& choice_logprobs) {
  require(!choice_logprobs.empty(), "choice_probabilities: choice_logprobs is empty");
  double top = -std::numeric_limits<double>::infinity();
  for (size_t j = 0; j < choice_logprobs.size(); ++j) {
    const double l = choice_logprobs[j];
    require(!std::isnan(l) && l != std::numeric_limits<double>::infinity(),
            "choice_probabilities: choice_logprobs[{}] = {} is not a log-probability", j, l);
    top = std::max(top, l);
  }
  require(std::isfinite(top), "choice_probabilities: every entry of choice_logprobs is -inf");
  // Subtracting the maximum keeps exp() in range for log-probabilities of long choices.
  std::vector<double> q(choice_logprobs.size());
  double total = 0.0;
  for (size_t j = 0; j < q.size(); ++j) total += q[j] = std::exp(choice_logprobs[j] - top);
  for (double& v : q) v /= total;
  return q;
}

double multiple_choice_grade(const std::vector<double>& choice_logprobs, size_t correct) {
  check_correct(choice_logprobs, correct, "multiple_choice_grade");
  choice_probabilities(choice_logprobs);  // same validation as the continuous metrics
  const double top = *std::max_element(choice_logprobs.begin(), choice_logprobs.end());
  if (choice_logprobs[correct] != top) return 0.0;
  const auto tied = std::count(choice_logprobs.begin(), choice_logprobs.end(), top);
  return 1.0 / static_cast<double>(tied);
}

double brier_score(const std::vector<double>& choice_logprobs, size_t correct) {
  check_correct(choice_logprobs, correct, "brier_score");
  const std::vector<double> q = choice_probabilities(choice_logprobs);
  double sum = 0.0;
  for (size_t j = 0; j < q.size(); ++j) {
    const double d = q[j] - (j == correct ? 1.0 : 0.0);
    sum += d * d;
  }
  return sum;
}

double correct_choice_probability(const std::vector<double>& choice_logprobs, size_t correct) {
  check_correct(choice_logprobs, correct, "correct_choice_probability");
  return choice_probabilities(choice_logprobs)[correct];
}

double uniform_brier(size_t num_choices) {
  require(num_choices >= 1, "uniform_brier: num_choices must be at least 1");
  const auto k = static_cast<double>(num_choices);
  return (k - 1.0) / k;
}

double chance_normalised(double score, double chance, double best) {
  require(best != chance,
          "chance_normalised: chance level {} equals the best score; nothing to normalise", chance);
  return (score - chance) / (best - chance);
}

bool worse_than_chance(double score, double chance, bool higher_is_better) {
  return higher_is_better ? score < chance : score > chance;
}

}  // namespace emlab::eval
