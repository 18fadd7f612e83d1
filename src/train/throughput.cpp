#include "train/throughput.hpp"

#include <algorithm>
#include <optional>
#include <vector>

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

namespace {

// Square sgemm timings on buffers kept between calls.
class SgemmPeak {
 public:
  explicit SgemmPeak(int n) : n_(n), a_(static_cast<size_t>(n) * n), b_(a_.size()), c_(a_.size()) {
    Rng rng(3);
    for (size_t i = 0; i < a_.size(); ++i) {
      a_[i] = rng.uniform() - 0.5f;
      b_[i] = rng.uniform() - 0.5f;
    }
    once();  // warm up threads and caches
  }

  // Best GFLOP/s of the products run within `seconds` (at least one).
  double best_gflops(double seconds) {
    double best = 0;
    const Timer total;
    do {
      const Timer t;
      once();
      best = std::max(best, 2.0 * n_ * n_ * static_cast<double>(n_) / t.seconds() / 1e9);
    } while (total.seconds() < seconds);
    return best;
  }

 private:
  void once() {
    nn::sgemm(nn::Trans::kNo, nn::Trans::kNo, n_, n_, n_, 1.0f, a_.data(), n_, b_.data(), n_, 0.0f,
              c_.data(), n_);
  }

  int n_;
  std::vector<float> a_, b_, c_;
};

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n == 0 ? 0.0 : n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

}  // namespace

ThroughputResult measure_training_throughput(const BenchShape& shape, double min_seconds,
                                             int warmup, bool paired) {
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
  const double flops_per_step = r.flops_per_token * B * T;
  std::optional<SgemmPeak> peak;
  if (paired) peak.emplace(512);
  double peak_before = paired ? peak->best_gflops(kPairedPeakSeconds) : 0.0;
  std::vector<double> ratios;
  // Slices of steps: the whole run at once unless paired.
  const double slice_seconds = paired ? kPairedSliceSeconds : min_seconds;
  while (r.steps < 3 || r.seconds < min_seconds) {
    int steps = 0;
    const Timer slice;
    while (steps < 1 ||
           (slice.seconds() < slice_seconds && r.seconds + slice.seconds() < min_seconds))
      train_step(), ++steps;
    const double seconds = slice.seconds();
    r.steps += steps;
    r.seconds += seconds;
    if (paired) {
      const double peak_after = peak->best_gflops(kPairedPeakSeconds);
      ratios.push_back(steps * flops_per_step / seconds / 1e9 / std::max(peak_before, peak_after));
      peak_before = peak_after;
    }
  }
  r.tokens_per_second = static_cast<double>(r.steps) * B * T / r.seconds;
  r.model_gflops = r.tokens_per_second * r.flops_per_token / 1e9;
  r.ms_per_step = 1e3 * r.seconds / r.steps;
  r.paired_mfu = median(ratios);
  r.slices = static_cast<int>(ratios.size());
  return r;
}

double measure_sgemm_gflops(int n, double seconds_each) {
  return SgemmPeak(n).best_gflops(seconds_each);
}

}  // namespace emlab::train
