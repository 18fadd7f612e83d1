#include "analysis/threshold_curve_fit.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace emlab::analysis {

double ThresholdCurve::at(double loss) const {
  return chance + (1 - chance) * (1 - std::exp(-rate * std::max(0.0, threshold - loss)));
}

namespace {

double rss_of(const std::vector<double>& loss, const std::vector<double>& y,
              const ThresholdCurve& c) {
  double sum = 0;
  for (size_t i = 0; i < loss.size(); ++i) sum += std::pow(c.at(loss[i]) - y[i], 2);
  return sum;
}

// The best rate for a threshold, by golden-section search on log s over [1e-3, 1e3] per nat.
ThresholdCurve best_rate(const std::vector<double>& loss, const std::vector<double>& y,
                         double chance, double threshold, double* rss) {
  const double golden = (std::sqrt(5.0) - 1) / 2;
  double a = std::log(1e-3), b = std::log(1e3);
  auto cost = [&](double log_rate) {
    return rss_of(loss, y, {threshold, std::exp(log_rate), chance});
  };
  double x1 = b - golden * (b - a), x2 = a + golden * (b - a);
  double f1 = cost(x1), f2 = cost(x2);
  for (int i = 0; i < 48; ++i) {
    if (f1 <= f2) {
      b = x2, x2 = x1, f2 = f1;
      x1 = b - golden * (b - a), f1 = cost(x1);
    } else {
      a = x1, x1 = x2, f1 = f2;
      x2 = a + golden * (b - a), f2 = cost(x2);
    }
  }
  const ThresholdCurve best{threshold, std::exp(f1 <= f2 ? x1 : x2), chance};
  *rss = std::min(f1, f2);
  return best;
}

}  // namespace

ThresholdCurveFit fit_threshold_curve(const std::vector<double>& loss, const std::vector<double>& y,
                                      double chance) {
  require(loss.size() == y.size(), "threshold curve: {} losses but {} scores", loss.size(),
          y.size());
  require(loss.size() >= 4, "threshold curve: needs at least 4 points (got {})", loss.size());
  for (size_t i = 0; i < loss.size(); ++i)
    require(std::isfinite(loss[i]) && std::isfinite(y[i]),
            "threshold curve: point {} (loss {}, score {}) is not finite", i, loss[i], y[i]);
  const auto [low, high] = std::minmax_element(loss.begin(), loss.end());
  // η from the lowest loss (nothing active) to half the range above the highest (all active): a
  // coarse grid, then a fine one around its best, so the interval is not a grid step wide.
  const double from = *low, to = *high + 0.5 * (*high - *low) + 1e-9;
  constexpr int kGrid = 160;
  std::vector<std::pair<double, double>> profile;  // (η, least RSS at that η)
  auto add = [&](double eta) {
    double rss = 0;
    best_rate(loss, y, chance, eta, &rss);
    profile.push_back({eta, rss});
  };
  for (int g = 0; g <= kGrid; ++g) add(from + (to - from) * g / kGrid);
  const auto coarse =
      std::min_element(profile.begin(), profile.end(),
                       [](const auto& a, const auto& b) { return a.second < b.second; });
  const double step = (to - from) / kGrid, centre = coarse->first;
  for (int g = -kGrid / 2; g <= kGrid / 2; ++g) add(centre + 8 * step * g / kGrid);
  std::sort(profile.begin(), profile.end());
  const auto best =
      std::min_element(profile.begin(), profile.end(),
                       [](const auto& a, const auto& b) { return a.second < b.second; });
  ThresholdCurveFit fit;
  fit.points = loss.size();
  fit.curve = best_rate(loss, y, chance, best->first, &fit.rss);
  // The profile interval: where RSS(η) crosses the limit, interpolated between profile points.
  const double dof = std::max(1.0, double(loss.size()) - 2);
  const double limit = fit.rss * (1 + 3.84 / dof);
  const auto at = size_t(best - profile.begin());
  auto crossing = [&](size_t inside, size_t outside) {
    const auto [e0, r0] = profile[inside];
    const auto [e1, r1] = profile[outside];
    return r1 != r0 ? e0 + (e1 - e0) * std::clamp((limit - r0) / (r1 - r0), 0.0, 1.0) : e1;
  };
  size_t i = at;
  while (i > 0 && profile[i - 1].second <= limit) --i;
  fit.lower = i > 0 ? crossing(i, i - 1) : profile.front().first;
  size_t j = at;
  while (j + 1 < profile.size() && profile[j + 1].second <= limit) ++j;
  fit.upper = j + 1 < profile.size() ? crossing(j, j + 1) : profile.back().first;
  return fit;
}

}  // namespace emlab::analysis
