#pragma once
// Metrics that compare a generated token sequence with the target (and the target's teacher-forced
// probabilities). Exact match is discontinuous in the per-token probability p (≈ p^L for an
// L-token answer); per-token accuracy and edit distance are continuous (≈ p and ≈ L·(1 − p)):
// the contrast behind the "mirage" of Schaeffer et al. 2023 (arXiv:2304.15004).
#include <cstddef>
#include <vector>

#include "eval/record.hpp"

namespace emlab::eval {

// 1 when output and target are the same sequence (same length, same tokens), else 0.
bool exact_match(const Tokens& output, const Tokens& target);

// Exact match of the final answers (tasks::final_answer): the output must write one and it must
// equal the target's. A negative separator (no scratchpad) is exact_match of the whole sequences.
bool final_answer_match(const Tokens& output, const Tokens& target, int32_t separator);

// Position-wise accuracy: matches at positions i < min(|o|, |t|), divided by max(|o|, |t|).
// A short output counts its missing positions wrong; a long output counts its extra positions
// wrong, so the score is 1 exactly when the output is an exact match (appending tokens to a
// correct answer is not rewarded). Requires a non-empty target.
double token_accuracy(const Tokens& output, const Tokens& target);

// Levenshtein distance over tokens: insertions, deletions and substitutions each cost 1.
size_t token_edit_distance(const Tokens& output, const Tokens& target);

// Arithmetic mean of the per-token target probabilities (teacher-forced); requires at least one.
double mean_token_probability(const std::vector<double>& token_probs);

}  // namespace emlab::eval
