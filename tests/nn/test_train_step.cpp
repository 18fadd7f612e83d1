// Gpt::train_step runs a batch in parts side by side (nn/micro_batch.hpp), each into gradients of
// its own: its loss and gradients must agree with forward() + backward() on the whole batch to
// rounding, be those bits exactly with one part, and not change by a bit with the thread count.
#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "nn/blas.hpp"
#include "nn/gpt.hpp"
#include "nn/micro_batch.hpp"

namespace emlab::nn {
namespace {

// vocab, context, width, layers, heads, mlp_width, tied: heads of 16 channels over a context of
// 64 (attention on vectors), and of 12 over 32 (attention on sgemm)
const ModelConfig kVectorHeads{11, 64, 32, 2, 2, 48, true};
const ModelConfig kSgemmHeads{11, 32, 24, 2, 2, 40, false};

struct Batch {
  std::vector<int32_t> tokens, targets;
};

Batch random_batch(const ModelConfig& c, int B, int T, uint64_t seed) {
  Rng rng(seed);
  Batch b;
  for (int i = 0; i < B * T; ++i) {
    b.tokens.push_back(static_cast<int32_t>(rng.below(static_cast<uint64_t>(c.vocab_size))));
    // some positions unscored: each part must still divide by the whole batch's count
    b.targets.push_back(
        i % 7 == 3 ? -1 : static_cast<int32_t>(rng.below(static_cast<uint64_t>(c.vocab_size))));
  }
  return b;
}

Gpt trained_model(const ModelConfig& c, int B) {
  Gpt model(c, B);
  model.init_weights(5);
  Rng rng(9);  // gains and biases away from 1 and 0, so their gradients carry signal
  for (float& p : model.parameters()) p += static_cast<float>(0.05 * rng.normal());
  return model;
}

struct Result {
  double loss;
  std::vector<float> gradients;
};

Result whole_batch(const ModelConfig& c, const Batch& b, int B, int T) {
  Gpt model = trained_model(c, B);
  model.zero_grad();
  const double loss = model.forward(b.tokens.data(), b.targets.data(), B, T);
  model.backward();
  return {loss, {model.gradients().begin(), model.gradients().end()}};
}

Result in_parts(const ModelConfig& c, const Batch& b, int B, int T, int part) {
  Gpt model = trained_model(c, B);
  model.zero_grad();
  const double loss = model.train_step(b.tokens.data(), b.targets.data(), B, T, part);
  return {loss, {model.gradients().begin(), model.gradients().end()}};
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), sizeof(float) * a.size()) == 0;
}

// |a - b| / |b| over all gradients
double relative_difference(const std::vector<float>& a, const std::vector<float>& b) {
  double norm = 0, diff = 0;
  for (size_t i = 0; i < b.size(); ++i) {
    norm += double{b[i]} * b[i];
    diff += std::pow(double{a[i]} - b[i], 2);
  }
  return norm > 0 ? std::sqrt(diff / norm) : INFINITY;
}

TEST(TrainStep, PartsAgreeWithTheWholeBatchAndOnePartIsIt) {
  for (const ModelConfig& c : {kVectorHeads, kSgemmHeads}) {
    const int T = c.context, B = 24;
    const Batch b = random_batch(c, B, T, 3);
    const Result whole = whole_batch(c, b, B, T);
    for (const int part : {3, 8, 10}) {  // 8, 3 and 3 parts, the last of 10 shorter
      const Result parts = in_parts(c, b, B, T, part);
      EXPECT_NEAR(parts.loss, whole.loss, 1e-6 * std::abs(whole.loss))
          << "T " << T << ", parts of " << part;
      EXPECT_LT(relative_difference(parts.gradients, whole.gradients), 1e-5)
          << "T " << T << ", parts of " << part;
    }
    const Result one = in_parts(c, b, B, T, B);
    EXPECT_EQ(one.loss, whole.loss);
    EXPECT_TRUE(same_bits(one.gradients, whole.gradients)) << "T " << T;
  }
}

TEST(TrainStep, TheThreadCountChangesNoBit) {
  // (OpenBLAS rounds a product split over threads differently: with it a run is reproducible
  // at a fixed thread count only, docs/performance.md.)
  if (!sgemm_is_own()) GTEST_SKIP() << "sgemm runs OpenBLAS here (no AVX-512, or EMLAB_GEMM)";
  const int saved = omp_get_max_threads();
  for (const ModelConfig& c : {kVectorHeads, kSgemmHeads}) {
    const int T = c.context, B = 12;
    const Batch b = random_batch(c, B, T, 6);
    // 3 parts (side by side on 2 and 3 threads), and 2 (side by side on 2 threads, one after
    // another on 3, each op on all 3)
    for (const int part : {4, 6}) {
      omp_set_num_threads(1);
      const Result reference = in_parts(c, b, B, T, part);
      for (const int threads : {2, 3}) {
        omp_set_num_threads(threads);
        const Result r = in_parts(c, b, B, T, part);
        EXPECT_EQ(r.loss, reference.loss)
            << threads << " threads, parts of " << part << ", T " << T;
        EXPECT_TRUE(same_bits(r.gradients, reference.gradients))
            << threads << " threads, parts of " << part << ", T " << T;
      }
    }
  }
  omp_set_num_threads(saved);
}

TEST(TrainStep, LeavesNothingToGoBackThroughAndRefusesWhatBackwardRefuses) {
  const ModelConfig& c = kSgemmHeads;
  const Batch b = random_batch(c, 2, c.context, 5);
  Gpt model = trained_model(c, 2);
  for (const int part : {1, 2}) {  // parts, and one part
    model.train_step(b.tokens.data(), b.targets.data(), 2, c.context, part);
    EXPECT_THROW(model.backward(), Error);
  }
  EXPECT_THROW(model.train_step(b.tokens.data(), nullptr, 2, c.context), Error);
  EXPECT_THROW(model.train_step(b.tokens.data(), b.targets.data(), 3, c.context), Error);
}

TEST(MicroBatch, PartsSpanHalfTheBatchUpToAThousandPositions) {
  EXPECT_EQ(micro_batch_sequences(32, 64), 16);   // tiny: 2 parts of 1,024 positions
  EXPECT_EQ(micro_batch_sequences(32, 128), 8);   // small: 4 parts of 1,024
  EXPECT_EQ(micro_batch_sequences(8, 256), 4);    // text-128: 2 parts of 1,024
  EXPECT_EQ(micro_batch_sequences(32, 32), 16);   // the default sweep: 2 parts of 512
  EXPECT_EQ(micro_batch_sequences(24, 32), 24);   // halves of 384 positions: whole
  EXPECT_EQ(micro_batch_sequences(64, 48), 22);   // 1,056 positions
  EXPECT_EQ(micro_batch_sequences(40, 2048), 1);  // a sequence longer than a part
  EXPECT_EQ(micro_batch_sequences(1, 64), 1);
}

}  // namespace
}  // namespace emlab::nn
