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
};

// Full training steps (batch, forward, backward, clip, AdamW) on random tokens: `warmup` untimed
// steps, then steps until at least `min_seconds` have passed (and at least 3).
ThroughputResult measure_training_throughput(const BenchShape& shape, double min_seconds,
                                             int warmup = 3);

// Best sgemm GFLOP/s over square sizes n (each run for about `seconds_each`).
double measure_sgemm_gflops(int n, double seconds_each);

}  // namespace emlab::train
