#include "train/gemm_bench.hpp"

#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "core/rng.hpp"
#include "core/timer.hpp"
#include "nn/gemm_avx512.hpp"
#include "nn/ops/attention_heads.hpp"

namespace emlab::train {

std::vector<StepProduct> step_products(const nn::ModelConfig& model, int batch_size) {
  using nn::Trans;
  const int rows = batch_size * model.context, C = model.width, L = model.layers;
  std::vector<StepProduct> out;
  auto linear = [&](const std::string& name, int in, int outputs, int count) {
    out.push_back({name + " forward", Trans::kNo, Trans::kYes, rows, outputs, in, count});
    out.push_back({name + " input grad", Trans::kNo, Trans::kNo, rows, in, outputs, count});
    out.push_back({name + " weight grad", Trans::kYes, Trans::kNo, outputs, in, rows, count});
  };
  linear("attn.qkv", C, 3 * C, L);
  linear("attn.proj", C, C, L);
  if (model.has_mlp()) {
    linear("mlp.fc", C, model.mlp_width, L);
    linear("mlp.proj", model.mlp_width, C, L);
  }
  linear("output (tied)", C, model.vocab_size, 1);
  // Attention goes through sgemm only where its heads do not take the vector path
  // (nn/ops/attention_heads.hpp): then per (sequence, head, layer), in blocks of 64 query rows as
  // ops/attention.cpp runs them: each block's rows see keys 0..r1, and its keys are seen by
  // queries r0..T. Forward and backward run each kind twice (scores and their gradient; values
  // and dq; dv and dk).
  const int T = model.context, hs = model.head_dim(), pairs = batch_size * model.heads * L;
  if (nn::ops::attention_heads_fit(hs, T)) return out;
  for (int r0 = 0; r0 < T; r0 += 64) {
    const int r1 = std::min(T, r0 + 64), rows_in_block = r1 - r0;
    const std::string at = T > 64 ? fmt::format(" (rows {}-{})", r0, r1 - 1) : "";
    out.push_back(
        {"attention scores" + at, Trans::kNo, Trans::kYes, rows_in_block, r1, hs, 2 * pairs});
    out.push_back(
        {"attention values" + at, Trans::kNo, Trans::kNo, rows_in_block, hs, r1, 2 * pairs});
    out.push_back({"attention key grads" + at, Trans::kYes, Trans::kNo, rows_in_block, hs, T - r0,
                   2 * pairs});
  }
  return out;
}

namespace {

// Best GFLOP/s of one backend over repeated calls, after one warm-up call.
double best_gflops(nn::GemmBackend backend, const StepProduct& p, const std::vector<float>& A,
                   int lda, const std::vector<float>& B, int ldb, std::vector<float>& C,
                   double seconds) {
  auto once = [&] {
    nn::sgemm_on_this_thread(backend, p.trans_a, p.trans_b, p.M, p.N, p.K, 1.0f, A.data(), lda,
                             B.data(), ldb, 0.0f, C.data(), p.N);
  };
  once();
  double best = 0;
  Timer total;
  do {
    Timer t;
    once();
    best = std::max(best, 2.0 * p.M * p.N * static_cast<double>(p.K) / t.seconds() / 1e9);
  } while (total.seconds() < seconds);
  return best;
}

}  // namespace

std::vector<ProductTiming> time_step_products(const std::vector<StepProduct>& products,
                                              double seconds) {
  // OpenBLAS's OpenMP build threads a product called outside a parallel region over
  // omp_get_max_threads() threads: one, as inside the sgemm door's per-thread blocks.
  const int threads = omp_get_max_threads();
  omp_set_num_threads(1);
  std::vector<ProductTiming> out;
  Rng rng(7);
  for (const auto& p : products) {
    const bool ta = p.trans_a == nn::Trans::kYes, tb = p.trans_b == nn::Trans::kYes;
    const int lda = ta ? p.M : p.K, ldb = tb ? p.K : p.N;
    std::vector<float> A(static_cast<size_t>(p.M) * p.K), B(static_cast<size_t>(p.K) * p.N);
    for (float& x : A) x = rng.uniform() - 0.5f;
    for (float& x : B) x = rng.uniform() - 0.5f;
    std::vector<float> reference(static_cast<size_t>(p.M) * p.N), own(reference.size());
    ProductTiming t{p};
    t.openblas_gflops =
        best_gflops(nn::GemmBackend::kOpenBlas, p, A, lda, B, ldb, reference, seconds);
    if (nn::gemm_avx512_compiled()) {
      t.own_gflops = best_gflops(nn::GemmBackend::kAvx512, p, A, lda, B, ldb, own, seconds);
      for (size_t i = 0; i < own.size(); ++i)
        t.largest_difference =
            std::max(t.largest_difference, static_cast<double>(std::fabs(own[i] - reference[i])));
    }
    out.push_back(t);
  }
  omp_set_num_threads(threads);
  return out;
}

}  // namespace emlab::train
