#include "analysis/wei_test.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.hpp"

namespace emlab::analysis {

double normal_cdf(double z) {
  return 0.5 * std::erfc(-z / std::sqrt(2.0));
}

double normal_two_sided_quantile(double level) {
  // Invert the CDF by bisection: a quantile is needed a handful of times per analysis.
  const double target = 0.5 + level / 2;
  double lo = 0, hi = 40;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    (normal_cdf(mid) < target ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

Interval wilson_interval(double value, double n, double level) {
  const double z = normal_two_sided_quantile(level);
  const double z2n = z * z / n;
  const double centre = (value + z2n / 2) / (1 + z2n);
  const double half = z / (1 + z2n) * std::sqrt(value * (1 - value) / n + z2n / (4 * n));
  return {centre - half, centre + half};
}

std::vector<double> holm_adjust(const std::vector<double>& p_values) {
  const size_t m = p_values.size();
  std::vector<size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return p_values[a] < p_values[b]; });
  std::vector<double> adjusted(m);
  double running = 0;
  for (size_t rank = 0; rank < m; ++rank) {
    const double scaled = std::min(1.0, static_cast<double>(m - rank) * p_values[order[rank]]);
    running = std::max(running, scaled);
    adjusted[order[rank]] = running;
  }
  return adjusted;
}

std::vector<WeiTestResult> wei_emergence_test(const std::vector<LabelledCurve>& curves,
                                              double alpha) {
  const double z_level = normal_two_sided_quantile(1 - alpha);
  std::vector<WeiTestResult> results;
  for (const auto& curve : curves) {
    require(curve.points.size() >= 2, "Wei test: curve '{}' has {} points; need at least 2",
            curve.label, curve.points.size());
    WeiTestResult r;
    r.label = curve.label;
    int last_not_above = -1;
    for (size_t i = 0; i < curve.points.size(); ++i) {
      const auto& p = curve.points[i];
      double se = p.stderr_value;
      if (se < 0) {
        require(p.n > 0, "Wei test: curve '{}' point {} has neither stderr nor n", curve.label,
                i + 1);
        se = std::sqrt(curve.chance * (1 - curve.chance) / p.n);
      }
      const double z =
          se > 0 ? (p.value - curve.chance) / se : (p.value > curve.chance ? 1e9 : -1e9);
      const double p_value = 1 - normal_cdf(z);
      r.point_p_values.push_back(p_value);
      r.intervals.push_back(p.n > 0 ? wilson_interval(p.value, p.n, 1 - alpha)
                                    : Interval{p.value - z_level * se, p.value + z_level * se});
      if (p_value >= alpha) last_not_above = static_cast<int>(i);
    }
    const int m = static_cast<int>(curve.points.size());
    r.threshold_index = last_not_above + 1 < m ? last_not_above + 1 : -1;
    if (r.threshold_index >= 0) {
      r.threshold_x = curve.points[static_cast<size_t>(r.threshold_index)].x;
      r.p_value =
          *std::max_element(r.point_p_values.begin() + r.threshold_index, r.point_p_values.end());
    }
    results.push_back(std::move(r));
  }
  std::vector<double> p_values;
  for (const auto& r : results) p_values.push_back(r.p_value);
  const auto adjusted = holm_adjust(p_values);
  for (size_t c = 0; c < results.size(); ++c) {
    auto& r = results[c];
    r.adjusted_p = adjusted[c];
    bool below_all_at_chance = true;
    for (int i = 0; i < r.threshold_index; ++i)
      if (r.point_p_values[static_cast<size_t>(i)] < alpha) below_all_at_chance = false;
    if (r.threshold_index < 0) {
      r.verdict = "never above chance at the largest scale";
    } else if (r.threshold_index == 0) {
      r.verdict = "above chance from the smallest scale";
    } else if (!below_all_at_chance) {
      r.verdict = "not monotone: above chance below the threshold too";
    } else if (r.adjusted_p >= alpha) {
      r.verdict = "not significant after Holm correction";
    } else {
      r.emergent = true;
      r.verdict = "emergent";
    }
  }
  return results;
}

}  // namespace emlab::analysis
