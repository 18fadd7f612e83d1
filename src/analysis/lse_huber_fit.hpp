#pragma once
// The objective of Hoffmann et al. 2022 (arXiv:2203.15556), approach 3, generalised to k scale
// terms: with x_ij = log X_ij,
//   log L̂_i = LSE(a_1 − α_1·x_i1, …, a_k − α_k·x_ik, e)      (L̂ = E + Σ_j A_j·X_ij^(−α_j))
//   objective = Σ_i w_i · Huber_δ(log L̂_i − log L_i)           (summed, not averaged)
// k = 1 is the power law with an irreducible term, k = 2 the Chinchilla form L(N, D).
// Minimised with Ceres's L-BFGS from many starts; the best optimum is kept.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace emlab::analysis {

struct LseData {
  int terms = 0;
  std::vector<double> log_features;  // (n, terms), row-major: log X_ij
  std::vector<double> log_loss;      // (n): log L_i
  size_t size() const { return log_loss.size(); }
};

// θ = [a_1 … a_k, e, α_1 … α_k]; A_j = exp(a_j), E = exp(e).
using Theta = std::vector<double>;

struct LseFitOptions {
  double huber_delta = 1e-3;
  // With δ = 1e-3 the objective and its gradient are tiny; the solver works on objective/δ (same
  // minimiser) and these tolerances are set for that scale, so L-BFGS does not stop at its start.
  int max_iterations = 2000;
  double function_tolerance = 1e-13;
  double gradient_tolerance = 1e-9;
  double parameter_tolerance = 1e-11;
};

struct LseSolution {
  Theta theta;
  double objective = 0;  // Σ w·Huber, unscaled
  bool converged = false;
  int start_index = -1;  // which start gave it
};

// Huber as Hoffmann et al. write it: r²/2 for |r| ≤ δ, δ·(|r| − δ/2) beyond.
inline double huber(double r, double delta) {
  const double a = r < 0 ? -r : r;
  return a <= delta ? 0.5 * r * r : delta * (a - 0.5 * delta);
}

// Objective (and gradient when non-null). weights may be empty (all ones).
double lse_huber_objective(const LseData& data, const std::vector<double>& weights,
                           const double* theta, double delta, double* gradient);

LseSolution minimise_lse_huber(const LseData& data, const std::vector<double>& weights,
                               const Theta& start, const LseFitOptions& options);

// Runs every start (in parallel, OpenMP) and keeps the lowest objective; ties go to the lower
// start index, so the answer does not depend on the thread count.
LseSolution best_of_starts(const LseData& data, const std::vector<double>& weights,
                           const std::vector<Theta>& starts, const LseFitOptions& options,
                           bool parallel = true);

// Every start's optimum, in start order (parallel over starts).
std::vector<LseSolution> solve_all_starts(const LseData& data, const std::vector<double>& weights,
                                          const std::vector<Theta>& starts,
                                          const LseFitOptions& options, bool parallel = true);

// The `count` lowest distinct optima (θ differing by more than 1e-3), best first: warm starts for
// bootstrap refits, so that a resample whose optimum moves to another basin can still find it.
std::vector<Theta> distinct_best(std::vector<LseSolution> solutions, size_t count);

// Nonparametric bootstrap: refits each resample (weights from bootstrap_weights) from every warm
// start and keeps the best. Parallel over resamples; deterministic for a given seed.
std::vector<Theta> bootstrap_refits(const LseData& data, const std::vector<Theta>& warm_starts,
                                    int resamples, uint64_t seed, const LseFitOptions& options);

// The grid of Hoffmann et al.: a_j ∈ {0, 5, …, 25}, α_j ∈ {0, 0.5, …, 2}, e ∈ {−1, −0.5, …, 1}.
// 4,500 starts for k = 2, 150 for k = 1.
std::vector<Theta> hoffmann_grid(int terms);

// A coarser grid for repeated fits in tests (2 values per coordinate).
std::vector<Theta> coarse_grid(int terms);

}  // namespace emlab::analysis
