#pragma once
// `emlab bench gemm`: the matrix products of one training step of a bench shape, each timed on
// one thread through OpenBLAS and through emlab's AVX-512 product, side by side.
#include <string>
#include <vector>

#include "nn/blas.hpp"
#include "nn/config.hpp"

namespace emlab::train {

struct StepProduct {
  std::string role;  // e.g. "mlp.fc forward", "attention scores"
  nn::Trans trans_a = nn::Trans::kNo, trans_b = nn::Trans::kNo;
  int M = 0, N = 0, K = 0;
  int per_step = 0;  // how many times one training step runs it
};

// The products the trainer runs for `model` at `batch_size` sequences: each linear layer's
// forward (NT), input gradient (NN) and weight gradient (TN), the tied output layer's, and, where
// its heads do not take attention's vector path, each (sequence, head) pair's attention products,
// per block of 64 query rows.
std::vector<StepProduct> step_products(const nn::ModelConfig& model, int batch_size);

struct ProductTiming {
  StepProduct product;
  double openblas_gflops = 0;
  double own_gflops = 0;          // 0 where the build has no AVX-512 product
  double largest_difference = 0;  // |OpenBLAS - own| over C, for inputs in [-0.5, 0.5)
};

// Best of repeated single-threaded calls for `seconds` per backend and product (hot caches).
std::vector<ProductTiming> time_step_products(const std::vector<StepProduct>& products,
                                              double seconds);

}  // namespace emlab::train
