#pragma once
// Scores of one attention head's pattern, each in [0, 1] (formulas in docs/probes.md). A pattern
// is one head's attention on one sequence: (T, T) row-major, row i summing to 1 over j ≤ i.
// The induction, mul and duplicate-token scores assume the repeated-block layout of
// RepeatedBlocks (a block of L distinct tokens repeated R times, T = L·R).
#include <vector>

namespace emlab::probe {

// Mean over rows i ≥ 1 of A[i][i-1].
double previous_token_score(const float* pattern, int T);
// Mean over the rows i ≥ L of Σ_k A[i][i - kL + 1] (k = 1..⌊i/L⌋): the mass on the tokens that
// followed earlier occurrences of the current token. A perfect induction head scores 1.
double induction_score(const float* pattern, int block, int repeats);
// TransformerLens's "mul" score: Σ A⊙P / Σ A over all T rows, P the same induction targets. The
// first copy's rows have none, so a perfect head scores (R-1)/R: 1/2 on the usual R = 2.
double induction_mul_score(const float* pattern, int block, int repeats);
// Mean over the rows i ≥ L of Σ_k A[i][i - kL]: the mass on earlier copies of the same token.
double duplicate_token_score(const float* pattern, int block, int repeats);

// The induction score of a head that attends evenly to every position up to its own: chance for
// a head that does not look for the earlier occurrence. For R = 2 it is (H_2L − H_L)/L, H_n the
// n-th harmonic number: about ln 2 / L (0.0340 for L = 20, 0.0424 for L = 16).
double uniform_induction_score(int block, int repeats);

struct HeadScores {
  double previous_token = 0, induction = 0, induction_mul = 0, duplicate_token = 0;
};

// Every head of one layer, averaged over the batch: attention (B, H, T, T) as Gpt::attention()
// gives it, for sequences laid out as repeated blocks. Returns H scores.
std::vector<HeadScores> score_heads(const float* attention, int B, int H, int block, int repeats);

}  // namespace emlab::probe
