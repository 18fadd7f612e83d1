#include "analysis/allocation.hpp"

#include <ceres/gradient_problem.h>
#include <ceres/gradient_problem_solver.h>

#include <cmath>
#include <limits>

#include "analysis/ceres_logging.hpp"
#include "core/error.hpp"

namespace emlab::analysis {
namespace {

// N = N_min·(1 + e^u) keeps N inside the feasible region for every u.
struct Problem {
  const ChinchillaParams& law;
  double target_loss, inference_tokens, min_params;

  double params_of(double u) const { return min_params * (1 + std::exp(u)); }
  double tokens_of(double n) const {
    const double gap = target_loss - law.E - law.A * std::pow(n, -law.alpha);
    return std::pow(law.B / gap, 1.0 / law.beta);
  }
  double flops_of(double n) const { return 6 * n * tokens_of(n) + 2 * n * inference_tokens; }
};

class LogTotalFlops final : public ceres::FirstOrderFunction {
 public:
  explicit LogTotalFlops(const Problem& p) : p_(p) {}
  bool Evaluate(const double* u, double* cost, double* gradient) const override {
    const double n = p_.params_of(u[0]);
    const double gap = p_.target_loss - p_.law.E - p_.law.A * std::pow(n, -p_.law.alpha);
    if (!(gap > 0)) return false;
    const double d = std::pow(p_.law.B / gap, 1.0 / p_.law.beta);
    const double f = 6 * n * d + 2 * n * p_.inference_tokens;
    *cost = std::log(f);
    if (gradient) {
      // d ln D/dN = −α·A·N^(−α−1)/(β·gap); dN/du = N_min·e^u.
      const double dlnd_dn =
          -p_.law.alpha * p_.law.A * std::pow(n, -p_.law.alpha - 1) / (p_.law.beta * gap);
      const double df_dn = 6 * d + 2 * p_.inference_tokens + 6 * n * d * dlnd_dn;
      gradient[0] = df_dn / f * p_.min_params * std::exp(u[0]);
    }
    return std::isfinite(*cost);
  }
  int NumParameters() const override { return 1; }

 private:
  const Problem& p_;
};

}  // namespace

Allocation inference_aware_allocation(const ChinchillaParams& law, double target_loss,
                                      double inference_tokens) {
  require(target_loss > law.E,
          "inference-aware allocation: target loss {} is not above the irreducible loss E = {}",
          target_loss, law.E);
  require(inference_tokens >= 0, "inference-aware allocation: inference tokens {} must be >= 0",
          inference_tokens);
  quiet_ceres_logging();
  const Problem problem{law, target_loss, inference_tokens,
                        std::pow(law.A / (target_loss - law.E), 1.0 / law.alpha)};
  double best_u = 0, best_cost = std::numeric_limits<double>::infinity();
  for (double start : {-4.0, -1.0, 1.0, 3.0, 6.0}) {
    ceres::GradientProblem gradient_problem(new LogTotalFlops(problem));
    ceres::GradientProblemSolver::Options options;
    options.max_num_iterations = 500;
    options.function_tolerance = 1e-14;
    options.gradient_tolerance = 1e-12;
    options.parameter_tolerance = 1e-12;
    options.logging_type = ceres::SILENT;
    ceres::GradientProblemSolver::Summary summary;
    double u = start;
    ceres::Solve(options, gradient_problem, &u, &summary);
    const double cost = std::log(problem.flops_of(problem.params_of(u)));
    if (cost < best_cost) {
      best_cost = cost;
      best_u = u;
    }
  }
  Allocation a;
  a.params = problem.params_of(best_u);
  a.train_tokens = problem.tokens_of(a.params);
  a.train_flops = 6 * a.params * a.train_tokens;
  a.inference_flops = 2 * a.params * inference_tokens;
  a.total_flops = a.train_flops + a.inference_flops;
  return a;
}

AllocationEstimate inference_aware_estimate(const ChinchillaFit& fit, double target_loss,
                                            double inference_tokens, double level) {
  AllocationEstimate e;
  e.best = inference_aware_allocation(fit.params, target_loss, inference_tokens);
  e.chinchilla = inference_aware_allocation(fit.params, target_loss, 0.0);
  std::vector<double> n, d, c;
  for (const auto& p : fit.bootstrap) {
    if (!(target_loss > p.E) || !(p.alpha > 0) || !(p.beta > 0)) {
      ++e.unreachable_resamples;
      continue;
    }
    const auto a = inference_aware_allocation(p, target_loss, inference_tokens);
    n.push_back(a.params);
    d.push_back(a.train_tokens);
    c.push_back(a.total_flops);
  }
  e.params = make_estimate(e.best.params, n, level);
  e.train_tokens = make_estimate(e.best.train_tokens, d, level);
  e.total_flops = make_estimate(e.best.total_flops, c, level);
  return e;
}

}  // namespace emlab::analysis
