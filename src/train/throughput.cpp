#include "train/throughput.hpp"

#include <algorithm>

#include "core/rng.hpp"
#include "core/timer.hpp"
#include "nn/adamw.hpp"
#include "nn/blas.hpp"
#include "nn/gpt.hpp"
#include "train/gradient_norm.hpp"

namespace emlab::train {

std::vector<BenchShape> standard_bench_shapes() {
  // vocab, context, width, layers, heads, mlp (4x), tied. The text shapes have a tokenizer's
  // vocabulary (4096), where the output layer and its softmax weigh most in a small model's step.
  return {
      {"tiny", {32, 64, 64, 2, 4, 256, true}, 32},
      {"small", {32, 128, 128, 4, 4, 512, true}, 32},
      {"medium", {64, 128, 256, 6, 8, 1024, true}, 16},
      {"text-64", {4096, 128, 64, 2, 4, 256, true}, 16},
      {"text-128", {4096, 256, 128, 4, 4, 512, true}, 8},
      {"text-256", {4096, 256, 256, 4, 8, 1024, true}, 8},
  };
}

ThroughputResult measure_training_throughput(const BenchShape& shape, double min_seconds,
                                             int warmup) {
  const int B = shape.batch_size, T = shape.model.context;
  nn::Gpt model(shape.model, B);
  model.init_weights(1);
  nn::AdamW optimizer(model.layout(), {});
  Rng rng(2);
  std::vector<int32_t> tokens(static_cast<size_t>(B) * T), targets(tokens.size());
  for (size_t i = 0; i < tokens.size(); ++i) {
    tokens[i] = static_cast<int32_t>(rng.below(static_cast<uint64_t>(shape.model.vocab_size)));
    targets[i] = static_cast<int32_t>(rng.below(static_cast<uint64_t>(shape.model.vocab_size)));
  }
  int64_t step = 0;
  auto train_step = [&] {
    model.zero_grad();
    model.train_step(tokens.data(), targets.data(), B, T);
    const double norm = global_norm(model.gradients());
    if (norm > 1.0) scale_values(model.gradients(), static_cast<float>(1.0 / norm));
    optimizer.update(model.parameters(), model.gradients(), 1e-4f, ++step);
  };
  for (int i = 0; i < warmup; ++i) train_step();
  ThroughputResult r;
  r.name = shape.name;
  r.parameters = shape.model.parameter_count();
  r.flops_per_token = shape.model.training_flops_per_token(T);
  Timer timer;
  while (r.steps < 3 || timer.seconds() < min_seconds) {
    train_step();
    ++r.steps;
  }
  r.seconds = timer.seconds();
  r.tokens_per_second = static_cast<double>(r.steps) * B * T / r.seconds;
  r.model_gflops = r.tokens_per_second * r.flops_per_token / 1e9;
  r.ms_per_step = 1e3 * r.seconds / r.steps;
  return r;
}

double measure_sgemm_gflops(int n, double seconds_each) {
  std::vector<float> a(static_cast<size_t>(n) * n), b(a.size()), c(a.size());
  Rng rng(3);
  for (size_t i = 0; i < a.size(); ++i) {
    a[i] = rng.uniform() - 0.5f;
    b[i] = rng.uniform() - 0.5f;
  }
  auto once = [&] {
    nn::sgemm(nn::Trans::kNo, nn::Trans::kNo, n, n, n, 1.0f, a.data(), n, b.data(), n, 0.0f,
              c.data(), n);
  };
  once();  // warm up threads and caches
  double best = 0;
  Timer total;
  while (total.seconds() < seconds_each) {
    Timer t;
    once();
    best = std::max(best, 2.0 * n * n * static_cast<double>(n) / t.seconds() / 1e9);
  }
  return best;
}

}  // namespace emlab::train
