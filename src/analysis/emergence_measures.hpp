#pragma once
// Shape measures of one task × metric curve y, ordered by scale (smallest model first).
// BIG-bench (Srivastava et al. 2022, arXiv:2206.04615, appendix B):
//   I(y) = sign(argmax y − argmin y)·(max y − min y)
//   breakthroughness B = I(y) / RootMedianSquare(y_{i+1} − y_i)   (Schaeffer et al.'s
//                        "emergence score" is the same quantity)
//   linearity        L = I(y) / RootMeanSquare(y_{i+1} − y_i)
// Verification note: the search tool did not return the paper's appendix text; the formulas follow
// /work/shared/SCIENCE.md, and a third-party implementation found by the search computes B's
// denominator as sqrt(median((Δy)²)), as here. A step (most increments zero) has a root-median-
// square of 0 and B = +inf; a straight line of m points has B = L = m − 1.
#include <vector>

namespace emlab::analysis {

double improvement_span(const std::vector<double>& y);  // I(y)
double breakthroughness(const std::vector<double>& y);
double linearity(const std::vector<double>& y);
// The largest single increase between neighbours as a share of the whole rise (max y − min y):
// 1/(m − 1) for a straight climb over m points, 1 for one jump, NaN for a flat curve. Unlike
// breakthroughness it stays finite with noise and tells a convex rise (p^L of a straight p) from a
// straight one at 3 or 4 answer tokens.
double jump_share(const std::vector<double>& y);

// (y − chance)/(1 − chance): 0 at chance, 1 at perfect (for scores where higher is better).
double chance_normalised(double value, double chance);

// A score worse than uniform guessing must be flagged, not read as progress (e.g. a 4-way Brier
// score above 0.75 = 3/4, the uniform guess's Brier score).
bool worse_than_chance(double value, double chance, bool higher_is_better);

// Brier score of uniform guessing over `choices` options: (1 − 1/k)² + (k − 1)/k² = 1 − 1/k.
double uniform_brier(int choices);

}  // namespace emlab::analysis
