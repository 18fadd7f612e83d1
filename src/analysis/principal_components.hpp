#pragma once
// Principal components of a table of scores (rows: models, columns: benchmarks), the capability
// space of observational scaling laws (Ruan, Maddison, Hashimoto 2024, arXiv:2405.10938). The
// columns are centred, not standardised: every benchmark is an accuracy on the same 0–1 scale, so
// its spread across models is information (a benchmark on which models barely differ, near
// chance, should weigh little, not be stretched to unit variance), and Ruan et al.'s PCA
// (scikit-learn's, standardize=False by default) centres only. Computed by Eigen's SVD.
#include <cstddef>
#include <vector>

namespace emlab::analysis {

struct PrincipalComponents {
  std::vector<double> mean;                   // per column, of the rows it was fitted on
  std::vector<std::vector<double>> loadings;  // component k: unit weights over the columns
  std::vector<double> variance_share;         // per component, descending; sums to 1
  // The row's coordinates on the first `components` components (all when 0).
  std::vector<double> project(const std::vector<double>& row, size_t components = 0) const;
};

// rows: at least 2, each with the same number of finite values. Each component's sign is chosen
// so that its loadings sum to >= 0: on the first, a model better at every benchmark lies higher.
PrincipalComponents principal_components(const std::vector<std::vector<double>>& rows);

}  // namespace emlab::analysis
