#pragma once
// A Wei-style emergence test (Wei et al. 2022, arXiv:2206.07682: "not present in smaller models but
// present in larger models"), for many task × metric curves at once.
// Per point, a one-sided z-test of "above chance": z = (y − chance)/se, se from the row's stderr
// or, failing that, the binomial sd at chance sqrt(c(1 − c)/n). The threshold k is the first point
// after the last one not significantly above chance. A curve is emergent when every point from k on
// is above chance (intersection-union test: the curve's p-value is the largest of those points'
// p-values), every point before k is not, and k lies inside the curve. The curves' p-values are
// Holm-adjusted (Holm 1979) for testing many curves at once.
#include <string>
#include <vector>

#include "analysis/bootstrap.hpp"

namespace emlab::analysis {

struct CurvePoint {
  double x = 0;  // scale (sorted ascending) or loss (sort descending before calling)
  double value = 0;
  double stderr_value = -1;  // < 0: unknown
  double n = -1;             // < 0: unknown
};

struct LabelledCurve {
  std::string label;  // "task / metric"
  double chance = 0;
  std::vector<CurvePoint> points;  // in order of increasing scale
};

struct WeiTestResult {
  std::string label;
  std::vector<Interval> intervals;  // per point: Wilson (with n) or value ± z·stderr
  std::vector<double> point_p_values;
  int threshold_index = -1;  // first point of the above-chance run; -1 when none
  double threshold_x = 0;
  double p_value = 1;     // intersection-union p of the above-chance run
  double adjusted_p = 1;  // Holm-adjusted across curves
  bool emergent = false;
  std::string verdict;
};

std::vector<WeiTestResult> wei_emergence_test(const std::vector<LabelledCurve>& curves,
                                              double alpha = 0.05);

// Holm's step-down adjustment of p-values (same order as given).
std::vector<double> holm_adjust(const std::vector<double>& p_values);

// Wilson score interval for a proportion observed as `value` over n trials.
Interval wilson_interval(double value, double n, double level);

// Standard normal quantile for the two-sided `level` (1.959964 for 0.95), and the CDF.
double normal_two_sided_quantile(double level);
double normal_cdf(double z);

}  // namespace emlab::analysis
