#pragma once
// How many sequences each part of a batch holds when Gpt::train_step runs the parts side by side.
namespace emlab::nn {

// Positions a part spans at least: fewer, and the products' and row ops' fixed costs outweigh
// what keeping a part's activations in cache saves.
inline constexpr int kMinMicroBatchRows = 1024;

// Sequences per part for a batch of B sequences of length T: the fewest that span at least
// kMinMicroBatchRows positions, or B (one part) if that is not fewer than B. It depends on the
// batch's shape alone, never on the machine or the thread count, so a run's bits do not either.
int micro_batch_sequences(int B, int T);

}  // namespace emlab::nn
