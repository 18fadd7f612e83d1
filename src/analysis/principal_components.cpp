#include "analysis/principal_components.hpp"

#include <Eigen/Dense>
#include <cmath>
#include <numeric>

#include "core/error.hpp"

namespace emlab::analysis {

std::vector<double> PrincipalComponents::project(const std::vector<double>& row,
                                                 size_t components) const {
  require(row.size() == mean.size(), "principal components: a row of {} values, expected {}",
          row.size(), mean.size());
  const size_t k = components == 0 ? loadings.size() : std::min(components, loadings.size());
  std::vector<double> out(k, 0.0);
  for (size_t c = 0; c < k; ++c)
    for (size_t j = 0; j < row.size(); ++j) out[c] += loadings[c][j] * (row[j] - mean[j]);
  return out;
}

PrincipalComponents principal_components(const std::vector<std::vector<double>>& rows) {
  require(rows.size() >= 2, "principal components: need at least 2 rows, got {}", rows.size());
  const size_t n = rows.size(), p = rows.front().size();
  require(p >= 1, "principal components: rows have no values");
  Eigen::MatrixXd z(n, p);
  for (size_t i = 0; i < n; ++i) {
    require(rows[i].size() == p, "principal components: row {} has {} values, row 1 has {}", i + 1,
            rows[i].size(), p);
    for (size_t j = 0; j < p; ++j) {
      require(std::isfinite(rows[i][j]), "principal components: row {} value {} is not finite",
              i + 1, j + 1);
      z(Eigen::Index(i), Eigen::Index(j)) = rows[i][j];
    }
  }
  PrincipalComponents pc;
  const Eigen::VectorXd mean = z.colwise().mean();
  z.rowwise() -= mean.transpose();
  pc.mean.assign(mean.data(), mean.data() + p);
  // Right singular vectors of the centred table: the components, by descending singular value.
  const Eigen::BDCSVD<Eigen::MatrixXd> svd(z, Eigen::ComputeThinV);
  const Eigen::VectorXd s = svd.singularValues();
  const double total = s.squaredNorm();
  require(total > 0, "principal components: every row is the same");
  for (Eigen::Index c = 0; c < s.size(); ++c) {
    Eigen::VectorXd v = svd.matrixV().col(c);
    if (v.sum() < 0) v = -v;
    pc.loadings.emplace_back(v.data(), v.data() + p);
    pc.variance_share.push_back(s(c) * s(c) / total);
  }
  return pc;
}

}  // namespace emlab::analysis
