#include "analysis/lse_huber_fit.hpp"

#include <ceres/gradient_problem.h>
#include <ceres/gradient_problem_solver.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "analysis/bootstrap.hpp"
#include "analysis/ceres_logging.hpp"

namespace emlab::analysis {
namespace {

constexpr int kMaxTerms = 4;

// Ceres evaluates objective/δ so that its gradient is of order one per point off the quadratic
// zone.
class ScaledObjective final : public ceres::FirstOrderFunction {
 public:
  ScaledObjective(const LseData& data, const std::vector<double>& weights, double delta)
      : data_(data), weights_(weights), delta_(delta) {}
  bool Evaluate(const double* theta, double* cost, double* gradient) const override {
    *cost = lse_huber_objective(data_, weights_, theta, delta_, gradient) / delta_;
    if (gradient)
      for (int i = 0; i < NumParameters(); ++i) gradient[i] /= delta_;
    return std::isfinite(*cost);
  }
  int NumParameters() const override { return 2 * data_.terms + 1; }

 private:
  const LseData& data_;
  const std::vector<double>& weights_;
  double delta_;
};

void grid_product(const std::vector<std::vector<double>>& axes, std::vector<Theta>& out) {
  Theta current(axes.size());
  auto recurse = [&](auto&& self, size_t depth) -> void {
    if (depth == axes.size()) {
      out.push_back(current);
      return;
    }
    for (double v : axes[depth]) {
      current[depth] = v;
      self(self, depth + 1);
    }
  };
  recurse(recurse, 0);
}

std::vector<Theta> grid_of(int terms, const std::vector<double>& a_values,
                           const std::vector<double>& e_values,
                           const std::vector<double>& alpha_values) {
  std::vector<std::vector<double>> axes;
  for (int j = 0; j < terms; ++j) axes.push_back(a_values);
  axes.push_back(e_values);
  for (int j = 0; j < terms; ++j) axes.push_back(alpha_values);
  std::vector<Theta> grid;
  grid_product(axes, grid);
  return grid;
}

}  // namespace

double lse_huber_objective(const LseData& data, const std::vector<double>& weights,
                           const double* theta, double delta, double* gradient) {
  const int k = data.terms;
  const int p = 2 * k + 1;
  if (gradient) std::fill(gradient, gradient + p, 0.0);
  double total = 0;
  double z[kMaxTerms + 1];
  double softmax[kMaxTerms + 1];
  for (size_t i = 0; i < data.size(); ++i) {
    const double w = weights.empty() ? 1.0 : weights[i];
    if (w == 0) continue;
    const double* x = &data.log_features[i * static_cast<size_t>(k)];
    double largest = theta[k];
    z[k] = theta[k];
    for (int j = 0; j < k; ++j) {
      z[j] = theta[j] - theta[k + 1 + j] * x[j];
      largest = std::max(largest, z[j]);
    }
    double sum = 0;
    for (int j = 0; j <= k; ++j) {
      softmax[j] = std::exp(z[j] - largest);
      sum += softmax[j];
    }
    const double r = largest + std::log(sum) - data.log_loss[i];
    total += w * huber(r, delta);
    if (gradient) {
      // d Huber/dr = r inside the quadratic zone, δ·sign(r) beyond; d LSE/dz_j = softmax_j.
      const double slope = w * std::clamp(r, -delta, delta) / sum;
      for (int j = 0; j < k; ++j) {
        gradient[j] += slope * softmax[j];
        gradient[k + 1 + j] -= slope * softmax[j] * x[j];
      }
      gradient[k] += slope * softmax[k];
    }
  }
  return total;
}

LseSolution minimise_lse_huber(const LseData& data, const std::vector<double>& weights,
                               const Theta& start, const LseFitOptions& options) {
  quiet_ceres_logging();
  ceres::GradientProblem problem(new ScaledObjective(data, weights, options.huber_delta));
  ceres::GradientProblemSolver::Options solver_options;
  solver_options.line_search_direction_type = ceres::LBFGS;
  solver_options.max_num_iterations = options.max_iterations;
  solver_options.function_tolerance = options.function_tolerance;
  solver_options.gradient_tolerance = options.gradient_tolerance;
  solver_options.parameter_tolerance = options.parameter_tolerance;
  solver_options.logging_type = ceres::SILENT;
  ceres::GradientProblemSolver::Summary summary;
  LseSolution solution;
  solution.theta = start;
  ceres::Solve(solver_options, problem, solution.theta.data(), &summary);
  solution.objective =
      lse_huber_objective(data, weights, solution.theta.data(), options.huber_delta, nullptr);
  if (!std::isfinite(solution.objective)) solution.objective = std::numeric_limits<double>::max();
  solution.converged = summary.termination_type == ceres::CONVERGENCE;
  return solution;
}

std::vector<LseSolution> solve_all_starts(const LseData& data, const std::vector<double>& weights,
                                          const std::vector<Theta>& starts,
                                          const LseFitOptions& options, bool parallel) {
  std::vector<LseSolution> solutions(starts.size());
  const auto count = static_cast<long>(starts.size());
#pragma omp parallel for schedule(dynamic, 4) if (parallel)
  for (long s = 0; s < count; ++s) {
    solutions[static_cast<size_t>(s)] =
        minimise_lse_huber(data, weights, starts[static_cast<size_t>(s)], options);
    solutions[static_cast<size_t>(s)].start_index = static_cast<int>(s);
  }
  return solutions;
}

LseSolution best_of_starts(const LseData& data, const std::vector<double>& weights,
                           const std::vector<Theta>& starts, const LseFitOptions& options,
                           bool parallel) {
  const auto solutions = solve_all_starts(data, weights, starts, options, parallel);
  size_t best = 0;
  for (size_t s = 1; s < solutions.size(); ++s)
    if (solutions[s].objective < solutions[best].objective) best = s;
  return solutions[best];
}

std::vector<Theta> distinct_best(std::vector<LseSolution> solutions, size_t count) {
  std::stable_sort(
      solutions.begin(), solutions.end(),
      [](const LseSolution& x, const LseSolution& y) { return x.objective < y.objective; });
  std::vector<Theta> chosen;
  for (const auto& s : solutions) {
    if (chosen.size() >= count) break;
    bool is_new = true;
    for (const auto& c : chosen) {
      double distance = 0;
      for (size_t i = 0; i < c.size(); ++i)
        distance = std::max(distance, std::abs(c[i] - s.theta[i]));
      if (distance < 1e-3) is_new = false;
    }
    if (is_new) chosen.push_back(s.theta);
  }
  return chosen;
}

std::vector<Theta> bootstrap_refits(const LseData& data, const std::vector<Theta>& warm_starts,
                                    int resamples, uint64_t seed, const LseFitOptions& options) {
  std::vector<Theta> refits(static_cast<size_t>(std::max(resamples, 0)));
#pragma omp parallel for schedule(dynamic, 8)
  for (int r = 0; r < resamples; ++r) {
    const auto weights = bootstrap_weights(data.size(), seed, static_cast<uint64_t>(r));
    refits[static_cast<size_t>(r)] =
        best_of_starts(data, weights, warm_starts, options, /*parallel=*/false).theta;
  }
  return refits;
}

std::vector<Theta> hoffmann_grid(int terms) {
  return grid_of(terms, {0, 5, 10, 15, 20, 25}, {-1, -0.5, 0, 0.5, 1}, {0, 0.5, 1, 1.5, 2});
}

std::vector<Theta> coarse_grid(int terms) {
  return grid_of(terms, {5, 15}, {-0.5, 0.5}, {0.25, 0.75});
}

}  // namespace emlab::analysis
