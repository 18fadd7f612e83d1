#include "analysis/kaplan_fit.hpp"

#include <ceres/ceres.h>

#include <array>
#include <cmath>
#include <limits>

#include "analysis/ceres_logging.hpp"
#include "analysis/lse_huber_fit.hpp"
#include "core/error.hpp"

namespace emlab::analysis {
namespace {

// θ = [log N_c, log D_c, α_N, α_D]; residual = log L̂ − log L.
struct KaplanResidual {
  double log_n, log_d, log_loss;
  template <typename T>
  bool operator()(const T* theta, T* residual) const {
    const T u = theta[2] / theta[3] * (theta[0] - log_n);
    const T v = theta[1] - log_d;
    const T top = u > v ? u : v;  // log-sum-exp without overflow
    residual[0] = theta[3] * (top + log(exp(u - top) + exp(v - top))) - log_loss;
    return true;
  }
};

struct Data {
  std::vector<double> log_n, log_d, log_loss;
};

double kaplan_objective(const Data& data, const std::vector<double>& weights,
                        const std::array<double, 4>& theta, double delta) {
  double total = 0;
  for (size_t i = 0; i < data.log_n.size(); ++i) {
    double r = 0;
    KaplanResidual{data.log_n[i], data.log_d[i], data.log_loss[i]}(theta.data(), &r);
    total += (weights.empty() ? 1.0 : weights[i]) * huber(r, delta);
  }
  return std::isfinite(total) ? total : std::numeric_limits<double>::max();
}

std::array<double, 4> solve(const Data& data, const std::vector<double>& weights,
                            std::array<double, 4> theta, double delta) {
  quiet_ceres_logging();
  ceres::Problem problem;
  for (size_t i = 0; i < data.log_n.size(); ++i) {
    const double w = weights.empty() ? 1.0 : weights[i];
    if (w == 0) continue;
    auto* cost = new ceres::AutoDiffCostFunction<KaplanResidual, 1, 4>(
        new KaplanResidual{data.log_n[i], data.log_d[i], data.log_loss[i]});
    // Ceres's HuberLoss(δ) is 2·Huber_δ; ScaledLoss carries the bootstrap multiplicity.
    problem.AddResidualBlock(
        cost, new ceres::ScaledLoss(new ceres::HuberLoss(delta), w, ceres::TAKE_OWNERSHIP),
        theta.data());
  }
  problem.SetParameterLowerBound(theta.data(), 2, 1e-4);  // exponents stay positive
  problem.SetParameterLowerBound(theta.data(), 3, 1e-4);
  ceres::Solver::Options options;
  options.linear_solver_type = ceres::DENSE_QR;
  options.max_num_iterations = 500;
  options.function_tolerance = 1e-14;
  options.gradient_tolerance = 1e-16;
  options.parameter_tolerance = 1e-12;
  options.logging_type = ceres::SILENT;
  ceres::Solver::Summary summary;
  ceres::Solve(options, &problem, &summary);
  return theta;
}

KaplanParams from_theta(const std::array<double, 4>& t) {
  return {std::exp(t[0]), std::exp(t[1]), t[2], t[3]};
}

}  // namespace

double KaplanParams::loss(double n, double d) const {
  return std::pow(std::pow(n_c / n, alpha_n / alpha_d) + d_c / d, alpha_d);
}

KaplanFit fit_kaplan(const std::vector<double>& params, const std::vector<double>& tokens,
                     const std::vector<double>& loss, const KaplanOptions& options) {
  require(params.size() == tokens.size() && params.size() == loss.size(),
          "Kaplan fit: {} parameter counts, {} token counts and {} losses", params.size(),
          tokens.size(), loss.size());
  require_enough_points(params.size(), 4, "Kaplan fit L = [(N_c/N)^(α_N/α_D) + D_c/D]^α_D");
  Data data;
  for (size_t i = 0; i < params.size(); ++i) {
    require(params[i] > 0 && tokens[i] > 0 && loss[i] > 0,
            "Kaplan fit: point {} has N = {}, D = {}, L = {}; all must be positive", i + 1,
            params[i], tokens[i], loss[i]);
    data.log_n.push_back(std::log(params[i]));
    data.log_d.push_back(std::log(tokens[i]));
    data.log_loss.push_back(std::log(loss[i]));
  }
  // Starts around Kaplan's Table 2 (log N_c ≈ 31.8, log D_c ≈ 30.5, α ≈ 0.08-0.1) and far from it.
  std::vector<std::array<double, 4>> starts;
  for (double log_nc : {20.0, 32.0})
    for (double log_dc : {20.0, 31.0})
      for (double alpha_n : {0.08, 0.4})
        for (double alpha_d : {0.1, 0.4}) starts.push_back({log_nc, log_dc, alpha_n, alpha_d});
  std::vector<std::array<double, 4>> solutions(starts.size());
  std::vector<double> objectives(starts.size());
#pragma omp parallel for schedule(dynamic)
  for (size_t s = 0; s < starts.size(); ++s) {
    solutions[s] = solve(data, {}, starts[s], options.huber_delta);
    objectives[s] = kaplan_objective(data, {}, solutions[s], options.huber_delta);
  }
  size_t best = 0;
  for (size_t s = 1; s < starts.size(); ++s)
    if (objectives[s] < objectives[best]) best = s;

  KaplanFit fit;
  fit.params = from_theta(solutions[best]);
  fit.objective = objectives[best];
  fit.points = params.size();
  fit.bootstrap.resize(static_cast<size_t>(std::max(options.bootstrap_resamples, 0)));
#pragma omp parallel for schedule(dynamic, 4)
  for (int r = 0; r < options.bootstrap_resamples; ++r) {
    const auto weights = bootstrap_weights(params.size(), options.seed, static_cast<uint64_t>(r));
    fit.bootstrap[static_cast<size_t>(r)] =
        from_theta(solve(data, weights, solutions[best], options.huber_delta));
  }
  using P = KaplanParams;
  fit.n_c = field_estimate(fit.params, fit.bootstrap, &P::n_c, options.level);
  fit.d_c = field_estimate(fit.params, fit.bootstrap, &P::d_c, options.level);
  fit.alpha_n = field_estimate(fit.params, fit.bootstrap, &P::alpha_n, options.level);
  fit.alpha_d = field_estimate(fit.params, fit.bootstrap, &P::alpha_d, options.level);
  return fit;
}

KaplanFit fit_kaplan(const std::vector<LossPoint>& points, const KaplanOptions& options) {
  std::vector<double> n, d, l;
  for (const auto& p : points) {
    n.push_back(p.params);
    d.push_back(p.tokens);
    l.push_back(p.loss);
  }
  return fit_kaplan(n, d, l, options);
}

}  // namespace emlab::analysis
