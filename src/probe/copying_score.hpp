#pragma once
// How much a head's OV circuit copies: Σ Re λ / Σ |λ| over the eigenvalues λ of
// W_U W_O W_V W_E (vocabulary × vocabulary), +1 for a pure copier, -1 for a pure anti-copier
// (Elhage et al. 2021, "A Mathematical Framework for Transformer Circuits"). LayerNorms and
// biases are left out, as there.
#include <Eigen/Dense>
#include <vector>

namespace emlab::nn {
class Gpt;
}

namespace emlab::probe {

// unembed (V×C), out (C×d), value (d×C), embed (C×V). The nonzero eigenvalues of the V×V
// product are those of the d×d product W_V W_E W_U W_O (a cyclic permutation), which is what
// gets decomposed. 0 when every eigenvalue is 0.
double copying_score(const Eigen::MatrixXd& unembed, const Eigen::MatrixXd& out,
                     const Eigen::MatrixXd& value, const Eigen::MatrixXd& embed);

// The score of every head of one layer of a model.
std::vector<double> head_copying_scores(const nn::Gpt& model, int layer);

}  // namespace emlab::probe
