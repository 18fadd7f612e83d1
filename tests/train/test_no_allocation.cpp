// "No allocation inside a training step" (nor a KV-cached decoding step), checked by counting every
// operator new while steps run.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <vector>

#include "nn/kv_decoder.hpp"
#include "train/trainer.hpp"

namespace {
std::atomic<bool> g_counting{false};
std::atomic<long> g_allocations{0};
}  // namespace

// Replaces the global allocator for this test binary; counts only while g_counting is set.
// (GCC's -Wmismatched-new-delete cannot see that this new is malloc and this delete is free.)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t size) {
  if (g_counting.load(std::memory_order_relaxed)) g_allocations.fetch_add(1);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

namespace emlab::train {
namespace {

TEST(NoAllocation, TrainingStepsAllocateNothing) {
  for (const int mlp : {0, 64}) {
    TrainConfig c;
    c.model = {.vocab_size = 10,
               .context = 24,
               .width = 32,
               .layers = 2,
               .heads = 2,
               .mlp_width = mlp,
               .tied_embeddings = mlp == 0};
    c.batch_size = 4;
    c.steps = 40;
    c.log_every = 5;  // the progress callback runs too
    c.data.span = 5;
    Trainer trainer(c);
    trainer.run({}, 5);  // first steps outside the count (OpenMP and BLAS set up their pools)
    long logged = 0;
    g_allocations = 0;
    g_counting = true;
    trainer.run([&](const Progress&) { ++logged; }, 40);
    g_counting = false;
    EXPECT_EQ(g_allocations.load(), 0) << "mlp_width " << mlp;
    EXPECT_EQ(logged, 7);
  }
}

TEST(NoAllocation, TrainStepsInPartsAllocateNothing) {
  // Parts side by side, with as many threads as parts and with spare threads nested in them: each
  // part's buffers grow at the first step and are reused after.
  const nn::ModelConfig c{.vocab_size = 10,
                          .context = 32,
                          .width = 32,
                          .layers = 2,
                          .heads = 2,
                          .mlp_width = 64,
                          .tied_embeddings = true};
  const int B = 6;
  std::vector<int32_t> tokens(B * c.context), targets(tokens.size());
  for (size_t i = 0; i < tokens.size(); ++i) {
    tokens[i] = static_cast<int32_t>(i % 10);
    targets[i] = static_cast<int32_t>((i * 7) % 10);
  }
  for (const int part : {2, 3}) {  // 3 parts, then 2
    nn::Gpt model(c, B);
    model.init_weights(4);
    for (int i = 0; i < 3; ++i) model.train_step(tokens.data(), targets.data(), B, c.context, part);
    g_allocations = 0;
    g_counting = true;
    for (int i = 0; i < 10; ++i)
      model.train_step(tokens.data(), targets.data(), B, c.context, part);
    g_counting = false;
    EXPECT_EQ(g_allocations.load(), 0) << "parts of " << part;
  }
}

TEST(NoAllocation, DecodingStepsAllocateNothing) {
  for (const int mlp : {0, 64}) {
    const nn::ModelConfig c{.vocab_size = 10,
                            .context = 24,
                            .width = 32,
                            .layers = 2,
                            .heads = 2,
                            .mlp_width = mlp,
                            .tied_embeddings = true};
    nn::Gpt model(c, 1);
    model.init_weights(3);
    // The ablation hooks run inside the step too.
    model.set_ablation(nn::Ablation::parse(nn::Ablation::Mode::kZero, {"L0H1", "L1.attn"}));
    nn::KvDecoder decoder(model, 3);
    int32_t tokens[3] = {1, 2, 3}, positions[3] = {0, 0, 0};
    decoder.step(tokens, positions, 3);  // outside the count (OpenMP and BLAS set up their pools)
    g_allocations = 0;
    g_counting = true;
    for (int p = 1; p < c.context; ++p) {  // sequences at different positions
      positions[0] = p;
      positions[1] = p / 2;
      decoder.step(tokens, positions, 3);
    }
    g_counting = false;
    EXPECT_EQ(g_allocations.load(), 0) << "mlp_width " << mlp;
  }
}

}  // namespace
}  // namespace emlab::train
