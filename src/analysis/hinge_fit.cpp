#include "analysis/hinge_fit.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/error.hpp"

namespace emlab::analysis {
namespace {

struct WeightedPoint {
  double loss, excess, weight;  // excess = y − chance
};

double rss_at(const std::vector<WeightedPoint>& pts, double eta, double slope) {
  double rss = 0;
  for (const auto& p : pts) {
    const double r = p.excess - slope * std::max(0.0, eta - p.loss);
    rss += p.weight * r * r;
  }
  return rss;
}

// Best s ≥ 0 for a fixed η: s = Σ w·u·h / Σ w·h², h = max(0, η − loss).
double best_slope(const std::vector<WeightedPoint>& pts, double eta) {
  double num = 0, den = 0;
  for (const auto& p : pts) {
    const double h = std::max(0.0, eta - p.loss);
    num += p.weight * p.excess * h;
    den += p.weight * h * h;
  }
  return den > 0 ? std::max(0.0, num / den) : 0.0;
}

}  // namespace

double HingeParams::at(double loss) const {
  if (std::isnan(threshold)) return chance;
  return chance + slope * std::max(0.0, threshold - loss);
}

HingeParams fit_hinge_point(const std::vector<double>& loss, const std::vector<double>& y,
                            double chance, const std::vector<double>& weights) {
  require(loss.size() == y.size(), "hinge fit: {} losses but {} values", loss.size(), y.size());
  require(loss.size() > 2, "hinge fit: {} points for 2 free parameters; need at least 3",
          loss.size());
  std::vector<WeightedPoint> pts;
  for (size_t i = 0; i < loss.size(); ++i) {
    const double w = weights.empty() ? 1.0 : weights[i];
    if (w > 0) pts.push_back({loss[i], y[i] - chance, w});
  }
  std::sort(pts.begin(), pts.end(),
            [](const WeightedPoint& a, const WeightedPoint& b) { return a.loss < b.loss; });

  // Flat at chance: no threshold.
  HingeParams best{std::nan(""), 0.0, chance};
  double best_rss = rss_at(pts, -std::numeric_limits<double>::infinity(), 0.0);
  auto consider = [&](double eta, double slope) {
    if (!(slope > 0) || !std::isfinite(eta)) return;
    const double rss = rss_at(pts, eta, slope);
    if (rss < best_rss - 1e-15) {
      best_rss = rss;
      best = {eta, slope, chance};
    }
  };
  // Segment ends: η at each observed loss.
  for (const auto& p : pts) consider(p.loss, best_slope(pts, p.loss));
  // Interiors: the first k points active, η in (loss_k, loss_{k+1}] (unbounded above for k = all).
  double sw = 0, sx = 0, su = 0, sxx = 0, sxu = 0;
  for (size_t k = 0; k < pts.size(); ++k) {
    const auto& p = pts[k];
    sw += p.weight;
    sx += p.weight * p.loss;
    su += p.weight * p.excess;
    sxx += p.weight * p.loss * p.loss;
    sxu += p.weight * p.loss * p.excess;
    if (k == 0) continue;
    const double det = sw * sxx - sx * sx;
    if (!(det > 0)) continue;
    // u = β0 + β1·loss on the active points, with s = −β1 and η = β0/s.
    const double beta1 = (sw * sxu - sx * su) / det;
    const double beta0 = (su - beta1 * sx) / sw;
    const double slope = -beta1;
    if (!(slope > 0)) continue;
    const double eta = beta0 / slope;
    const double upper =
        k + 1 < pts.size() ? pts[k + 1].loss : std::numeric_limits<double>::infinity();
    if (eta > p.loss && eta <= upper) consider(eta, slope);
  }
  return best;
}

HingeFit fit_hinge(const std::vector<double>& loss, const std::vector<double>& y, double chance,
                   int bootstrap_resamples, uint64_t seed, double level) {
  HingeFit fit;
  fit.params = fit_hinge_point(loss, y, chance);
  fit.points = loss.size();
  for (size_t i = 0; i < loss.size(); ++i) {
    const double r = y[i] - fit.params.at(loss[i]);
    fit.rss += r * r;
  }
  std::vector<double> thresholds(static_cast<size_t>(std::max(bootstrap_resamples, 0)));
#pragma omp parallel for schedule(static)
  for (int r = 0; r < bootstrap_resamples; ++r) {
    const auto weights = bootstrap_weights(loss.size(), seed, static_cast<uint64_t>(r));
    thresholds[static_cast<size_t>(r)] = fit_hinge_point(loss, y, chance, weights).threshold;
  }
  std::vector<double> finite;
  for (double t : thresholds)
    if (std::isfinite(t)) finite.push_back(t);
  fit.flat_fraction = thresholds.empty() ? 0
                                         : 1.0 - static_cast<double>(finite.size()) /
                                                     static_cast<double>(thresholds.size());
  fit.threshold = make_estimate(fit.params.threshold, finite, level);
  return fit;
}

double params_at_loss(const PowerLawParams& law, double eta) {
  if (!(eta > law.E)) return std::nan("");
  return std::pow(law.A / (eta - law.E), 1.0 / law.alpha);
}

}  // namespace emlab::analysis
