#pragma once
// Multiple-choice metrics from the log-probability the model gives each choice. The grade (does
// the correct choice score highest?) is discontinuous; the Brier score and the probability of the
// correct choice move continuously with the logits (Schaeffer et al. 2023, arXiv:2304.15004).
// Chance normalisation follows SCIENCE.md: (y − chance)/(best − chance).
#include <cstddef>
#include <vector>

namespace emlab::eval {

// Normalised choice probabilities q_j = exp(l_j) / Σ_i exp(l_i) (a softmax over the choices, so
// the log-probabilities need not sum to one). Requires at least one choice, no NaN or +inf, and
// at least one finite entry (-inf entries get probability 0).
std::vector<double> choice_probabilities(const std::vector<double>& choice_logprobs);

// 1 when the correct choice alone has the highest log-probability, 0 when another choice is
// strictly higher, and 1/m when the correct choice shares the maximum with m − 1 others (bitwise
// equal values): the expected grade of a uniformly random tie-break, so an all-equal model scores
// exactly the chance level 1/K.
double multiple_choice_grade(const std::vector<double>& choice_logprobs, size_t correct);

// Brier score Σ_j (q_j − 1[j = correct])² over the normalised choice probabilities (Brier 1950,
// Monthly Weather Review 78(1), one forecast of the multi-category score; the continuous
// counterpart of the grade in Schaeffer et al. 2023). 0 is perfect, 2 the worst, and a
// uniform guess scores (K−1)/K.
double brier_score(const std::vector<double>& choice_logprobs, size_t correct);

// q_correct, the normalised probability of the correct choice.
double correct_choice_probability(const std::vector<double>& choice_logprobs, size_t correct);

// Brier score of the uniform guess q_j = 1/K: (1 − 1/K)² + (K − 1)/K² = (K − 1)/K.
double uniform_brier(size_t num_choices);

// (score − chance)/(best − chance): 0 at chance, 1 at the best possible score, negative when worse
// than chance. best = 1 for accuracies; best = 0 for the Brier score, where this is the Brier
// skill score 1 − score/chance. Requires best != chance.
double chance_normalised(double score, double chance, double best = 1.0);

// Whether a score is strictly worse than the chance level in the metric's direction (for a Brier
// score, above (K−1)/K): such a score must be flagged, not read as progress.
bool worse_than_chance(double score, double chance, bool higher_is_better);

}  // namespace emlab::eval
