// `emlab bench train`'s measurement: its counts add up, and a paired run times the sgemm peak
// between its slices of steps. (No speed is asserted: that is for benchmarks.)
#include <gtest/gtest.h>

#include <cmath>

#include "train/throughput.hpp"

namespace emlab::train {
namespace {

TEST(Throughput, APairedRunHasOneRatioPerSliceAndCountsEveryTimedStep) {
  // A small model: 2 parts of 8 sequences (nn/micro_batch.hpp), so train_step's parts run too.
  const BenchShape shape{"test", {16, 64, 32, 1, 2, 64, true}, 16};
  const ThroughputResult plain = measure_training_throughput(shape, 0.05, 1);
  EXPECT_GE(plain.steps, 3);
  EXPECT_EQ(plain.slices, 0);
  EXPECT_EQ(plain.paired_mfu, 0.0);

  const ThroughputResult paired = measure_training_throughput(shape, 0.6, 1, /*paired=*/true);
  EXPECT_GE(paired.steps, 3);
  EXPECT_GE(paired.slices, 2);  // slices of 0.25 s over at least 0.6 s of steps
  EXPECT_LE(paired.slices, paired.steps);
  EXPECT_GE(paired.seconds, 0.6);
  EXPECT_TRUE(std::isfinite(paired.paired_mfu));
  EXPECT_GT(paired.paired_mfu, 0.0);
  EXPECT_NEAR(paired.tokens_per_second, paired.steps * 16.0 * 64 / paired.seconds, 1e-6);
  EXPECT_NEAR(paired.model_gflops, paired.tokens_per_second * paired.flops_per_token / 1e9, 1e-9);
}

}  // namespace
}  // namespace emlab::train
