#pragma once
// The task scaling law of Hu et al. 2023 ("PassUntil", arXiv:2310.03262): PU ≈ exp(−c·N^(−α)), so
//   log(−log PU) = a + b·log N   (b = −α)
// is a straight line in log N. A concave curve (bending down) means −log PU falls faster than the
// power law: accelerated emergence; convex means slower. The class is read from the curvature c of
// a quadratic a + b·x + c·x² (x = log N, centred), with a 95% t-interval.
#include <string>
#include <vector>

#include "analysis/bootstrap.hpp"

namespace emlab::analysis {

struct PassUntilFit {
  Estimate intercept, slope;  // a, b of the straight line, 95% t-intervals
  double residual_sd = 0;
  Estimate curvature;     // c of the quadratic; interval NaN with fewer than 4 points
  std::string concavity;  // "accelerated", "decelerated", "power law (not distinguishable)"
  double predict_log_neg_log(double params) const;  // a + b·log N
  double predict_pass_rate(double params) const;    // exp(−exp(a + b·log N))
};

PassUntilFit fit_pass_until(const std::vector<double>& params,
                            const std::vector<double>& pass_rate);

// Two-sided 95% quantile of Student's t with `dof` degrees of freedom (table to 30, then a
// 1/dof expansion; exact to 3 decimals).
double student_t_975(int dof);

}  // namespace emlab::analysis
