#include "probe/copying_score.hpp"

#include <Eigen/Eigenvalues>

#include "core/error.hpp"
#include "nn/gpt.hpp"

namespace emlab::probe {

double copying_score(const Eigen::MatrixXd& unembed, const Eigen::MatrixXd& out,
                     const Eigen::MatrixXd& value, const Eigen::MatrixXd& embed) {
  require(unembed.cols() == out.rows() && out.cols() == value.rows() &&
              value.cols() == embed.rows() && embed.cols() == unembed.rows(),
          "copying score: shapes W_U {}x{}, W_O {}x{}, W_V {}x{}, W_E {}x{} do not chain",
          unembed.rows(), unembed.cols(), out.rows(), out.cols(), value.rows(), value.cols(),
          embed.rows(), embed.cols());
  const Eigen::MatrixXd small = value * embed * unembed * out;
  const Eigen::EigenSolver<Eigen::MatrixXd> solver(small, /*computeEigenvectors=*/false);
  require(solver.info() == Eigen::Success, "copying score: the eigenvalues did not converge");
  double real = 0.0, magnitude = 0.0;
  for (const auto& lambda : solver.eigenvalues()) {
    real += lambda.real();
    magnitude += std::abs(lambda);
  }
  return magnitude > 0 ? real / magnitude : 0.0;
}

std::vector<double> head_copying_scores(const nn::Gpt& model, int layer) {
  const nn::ModelConfig& c = model.config();
  require(layer >= 0 && layer < c.layers, "copying score: layer {} is outside 0..{}", layer,
          c.layers - 1);
  const int C = c.width, V = c.vocab_size, hs = c.head_dim();
  const nn::ModelTensors& w = model.weights();
  const nn::BlockTensors& b = w.blocks[static_cast<size_t>(layer)];
  using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  // wte and lm_head are (V, C): the embedding as a C×V map is its transpose.
  const Eigen::MatrixXd embed = Eigen::Map<const RowMajor>(w.wte, V, C).cast<double>().transpose();
  const Eigen::MatrixXd unembed = Eigen::Map<const RowMajor>(w.lm_head, V, C).cast<double>();
  // qkv_w is (3C, C): rows 2C + h·hs .. 2C + (h+1)·hs map the stream to head h's values.
  const Eigen::MatrixXd qkv = Eigen::Map<const RowMajor>(b.qkv_w, 3 * C, C).cast<double>();
  // proj_w is (C, C) as (out, in): columns h·hs .. (h+1)·hs take head h's output.
  const Eigen::MatrixXd proj = Eigen::Map<const RowMajor>(b.proj_w, C, C).cast<double>();
  std::vector<double> scores;
  for (int h = 0; h < c.heads; ++h)
    scores.push_back(copying_score(unembed, proj.middleCols(h * hs, hs),
                                   qkv.middleRows(2 * C + h * hs, hs), embed));
  return scores;
}

}  // namespace emlab::probe
