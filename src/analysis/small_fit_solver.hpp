#pragma once
// Ceres's settings for the small least-squares curve fits (the sigmoids of sigmoid_fit.hpp and
// multi_sigmoid_fit.hpp): dense QR, tolerances tight enough for the fits to agree with SciPy's,
// silent, at most 300 Levenberg-Marquardt iterations a start.
#include <ceres/ceres.h>

namespace emlab::analysis {

inline ceres::Solver::Options small_fit_solver() {
  ceres::Solver::Options solver;
  solver.linear_solver_type = ceres::DENSE_QR;
  solver.max_num_iterations = 300;
  solver.function_tolerance = 1e-12;
  solver.gradient_tolerance = 1e-14;
  solver.parameter_tolerance = 1e-12;
  solver.logging_type = ceres::SILENT;
  return solver;
}

}  // namespace emlab::analysis
