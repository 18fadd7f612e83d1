#pragma once
// Metrics from sampled outputs, each judged pass/fail: pass@k (Chen et al. 2021), PassUntil (Hu et
// al. 2023) and self-consistency (Wang et al. 2022, majority vote over sampled answers).
#include <cstddef>
#include <functional>
#include <vector>

#include "eval/record.hpp"

namespace emlab::eval {

// Unbiased pass@k from n samples of which c passed (Chen et al. 2021, arXiv:2107.03374, eq. 1):
//   1 − C(n−c, k)/C(n, k) = 1 − Π_{i=n−c+1}^{n} (1 − k/i),
// the product form of their Figure 3, which never forms the (huge) binomial coefficients.
// Requires 1 <= k <= n and c <= n.
double pass_at_k(size_t n, size_t c, size_t k);

// PassUntil (Hu et al. 2023, arXiv:2310.03262): draw until r passes, K draws in all, and
// estimate the pass rate by PU = r/K. That is the maximum-likelihood estimate under inverse
// (negative binomial) sampling and is biased upwards by about a factor r/(r−1); (r−1)/(K−1)
// (Haldane 1945) is unbiased for r >= 2 and is reported beside it.
// When the cap is hit first (censored), both estimates fall back to passes/draws, which is 0 with
// no pass: read it as "below about 3/K_max" (the rule of three), not as zero.
struct PassUntilResult {
  size_t required = 0;  // r
  size_t passes = 0;    // passes seen (= r unless censored)
  size_t draws = 0;     // K, or the cap when censored
  bool censored = false;
  double estimate = 0;  // r/K (Hu et al.)
  double unbiased = 0;  // (r−1)/(K−1); equal to estimate when r = 1 or censored
};

// From outcomes already drawn, in order; the sequence's length is the cap K_max. Draws after the
// r-th pass are ignored (an evaluator with a fixed number of samples gives a valid inverse-sampling
// prefix). Requires r >= 1 and a non-empty sequence.
PassUntilResult pass_until(const std::vector<bool>& outcomes, size_t required);

// Drives a source: calls draw() until `required` passes or `max_draws` calls.
PassUntilResult pass_until(const std::function<bool()>& draw, size_t required, size_t max_draws);

// Majority vote over sampled answers (self-consistency, Wang et al. 2022, arXiv:2203.11171).
// Answers are compared as whole token sequences, or with a separator (>= 0: the token that ends
// a scratchpad) by their final answers alone (tasks::final_answer), so sampled reasoning chains
// that differ but reach the same answer vote together, as in Wang et al.; a sample that writes no
// final answer casts no vote, and with no vote at all the result fails. Ties in the vote count go
// to the tied answer that was sampled first, so the result depends only on the samples and their
// order. Samples with the same answer must carry the same judgement (else the record is
// inconsistent and this throws).
struct VoteResult {
  Tokens answer;
  size_t votes = 0;        // samples that gave the winning answer
  size_t distinct = 0;     // distinct answers among the samples
  size_t tied = 0;         // answers sharing the top count (1 when there is no tie)
  size_t first_index = 0;  // where the winning answer first appears
  size_t abstained = 0;    // samples without a final answer (only with a separator)
  bool passed = false;     // judgement of the winning answer
};
VoteResult majority_vote(const std::vector<Sample>& samples, int32_t separator = -1);

}  // namespace emlab::eval
