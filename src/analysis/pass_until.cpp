#include "analysis/pass_until.hpp"

#include <Eigen/Dense>
#include <array>
#include <cmath>

#include "core/error.hpp"

namespace emlab::analysis {
namespace {

template <int P>
struct OlsResult {
  Eigen::Matrix<double, P, 1> beta;
  Eigen::Matrix<double, P, 1> se;
  double residual_sd = 0;
};

// Least squares through the P×P normal equations (P ≤ 3 here, well conditioned after centring);
// fixed-size Eigen keeps the code free of the large-matrix kernels.
template <int P>
OlsResult<P> ordinary_least_squares(const std::vector<std::array<double, P>>& rows,
                                    const std::vector<double>& y) {
  Eigen::Matrix<double, P, P> xtx = Eigen::Matrix<double, P, P>::Zero();
  Eigen::Matrix<double, P, 1> xty = Eigen::Matrix<double, P, 1>::Zero();
  for (size_t i = 0; i < rows.size(); ++i) {
    const Eigen::Map<const Eigen::Matrix<double, P, 1>> x(rows[i].data());
    xtx += x * x.transpose();
    xty += x * y[i];
  }
  OlsResult<P> r;
  const Eigen::Matrix<double, P, P> inverse = xtx.inverse();
  r.beta = inverse * xty;
  double rss = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    const Eigen::Map<const Eigen::Matrix<double, P, 1>> x(rows[i].data());
    const double e = y[i] - x.dot(r.beta);
    rss += e * e;
  }
  const auto dof = static_cast<double>(rows.size()) - P;
  r.residual_sd = dof > 0 ? std::sqrt(rss / dof) : 0.0;
  r.se = (r.residual_sd * r.residual_sd * inverse.diagonal()).cwiseSqrt();
  return r;
}

}  // namespace

double student_t_975(int dof) {
  static const double table[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306,
                                 2.262,  2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120,
                                 2.110,  2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
                                 2.060,  2.056, 2.052, 2.048, 2.045, 2.042};
  require(dof >= 1, "t quantile needs at least 1 degree of freedom, got {}", dof);
  if (dof <= 30) return table[dof - 1];
  const double z = 1.959964;  // Cornish-Fisher's first term: t ≈ z + (z³ + z)/(4·dof)
  return z + (z * z * z + z) / (4.0 * dof);
}

double PassUntilFit::predict_log_neg_log(double params) const {
  return intercept.value + slope.value * std::log(params);
}

double PassUntilFit::predict_pass_rate(double params) const {
  return std::exp(-std::exp(predict_log_neg_log(params)));
}

PassUntilFit fit_pass_until(const std::vector<double>& params,
                            const std::vector<double>& pass_rate) {
  require(params.size() == pass_rate.size(), "PassUntil fit: {} sizes but {} pass rates",
          params.size(), pass_rate.size());
  require(params.size() >= 3, "PassUntil fit: {} points for 2 free parameters; need at least 3",
          params.size());
  const size_t m = params.size();
  std::vector<double> x(m), y(m);
  for (size_t k = 0; k < m; ++k) {
    require(params[k] > 0, "PassUntil fit: point {} has size {}; must be positive", k + 1,
            params[k]);
    require(pass_rate[k] > 0 && pass_rate[k] < 1,
            "PassUntil fit: point {} has pass rate {}; log(−log PU) needs 0 < PU < 1", k + 1,
            pass_rate[k]);
    x[k] = std::log(params[k]);
    y[k] = std::log(-std::log(pass_rate[k]));
  }
  PassUntilFit fit;
  std::vector<std::array<double, 2>> line;
  for (double v : x) line.push_back({1.0, v});
  const auto straight = ordinary_least_squares<2>(line, y);
  const double t_line = student_t_975(static_cast<int>(m - 2));
  auto with_interval = [](double value, double se, double t) {
    return Estimate{value, {value - t * se, value + t * se}};
  };
  fit.intercept = with_interval(straight.beta(0), straight.se(0), t_line);
  fit.slope = with_interval(straight.beta(1), straight.se(1), t_line);
  fit.residual_sd = straight.residual_sd;

  fit.concavity = "power law (not distinguishable)";
  fit.curvature = {std::nan(""), {std::nan(""), std::nan("")}};
  if (m >= 4) {
    double centre = 0;
    for (double v : x) centre += v / static_cast<double>(m);
    std::vector<std::array<double, 3>> quadratic;
    for (double v : x) quadratic.push_back({1.0, v - centre, (v - centre) * (v - centre)});
    const auto curved = ordinary_least_squares<3>(quadratic, y);
    fit.curvature =
        with_interval(curved.beta(2), curved.se(2), student_t_975(static_cast<int>(m - 3)));
    if (fit.curvature.interval.upper < 0) fit.concavity = "accelerated";
    if (fit.curvature.interval.lower > 0) fit.concavity = "decelerated";
  }
  return fit;
}

}  // namespace emlab::analysis
