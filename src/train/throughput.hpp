#pragma once
// Measured training throughput and the BLAS's sgemm throughput on the same machine, for
// `emlab bench train` and model FLOPs utilisation (MFU).
#include <string>
#include <vector>

#include "nn/config.hpp"

namespace emlab::train {

struct BenchShape {
  std::string name;
  nn::ModelConfig model;
  int batch_size;
};

// The shapes of the foundation issue (tiny, small, medium: task alphabets) and three with a text
// tokenizer's vocabulary (text-64, text-128, text-256: vocabulary 4096, context 128-256).
std::vector<BenchShape> standard_bench_shapes();

struct ThroughputResult {
  std::string name;
  int64_t parameters = 0;
  double flops_per_token = 0;  // nn::ModelConfig::training_flops_per_token
  int steps = 0;
  double seconds = 0;
  double tokens_per_second = 0;
  double model_gflops = 0;  // tokens/s × FLOPs per token
  double ms_per_step = 0;
  // Paired runs only: the steps ran in slices of about kPairedSliceSeconds, each between two
  // timings of the sgemm peak (n = 512, best of kPairedPeakSeconds); per slice, its model GFLOP/s
  // over the higher of the two peaks; the median of those ratios, and their number.
  double paired_mfu = 0;
  int slices = 0;
};

inline constexpr double kPairedSliceSeconds = 0.25, kPairedPeakSeconds = 0.1;

// Full training steps (batch, forward and backward, clip, AdamW) on random tokens: `warmup`
// untimed steps, then steps until at least `min_seconds` of them have passed (and at least 3).
// `paired`: also time the sgemm peak between slices of steps (see paired_mfu). On a shared
// machine whose speed moves from one second to the next, a peak timed beside the steps it divides
// is the fairer reference than the best peak of the whole run.
ThroughputResult measure_training_throughput(const BenchShape& shape, double min_seconds,
                                             int warmup = 3, bool paired = false);

// Best sgemm GFLOP/s over square sizes n (each run for about `seconds_each`).
double measure_sgemm_gflops(int n, double seconds_each);

}  // namespace emlab::train
