#pragma once
// How many sequences each part of a batch holds when Gpt::train_step runs the parts side by side.
namespace emlab::nn {

// Positions a part spans: about half the batch, but no more than kMicroBatchRows, and a batch
// whose half is under kMinMicroBatchRows stays whole (there, the ops' fixed costs outweigh what
// the parts save).
inline constexpr int kMicroBatchRows = 1024, kMinMicroBatchRows = 512;

// Sequences per part for a batch of B sequences of length T: the fewest that span
// min(kMicroBatchRows, B·T / 2) positions, or B (one part) where that is under
// kMinMicroBatchRows or not fewer than B. It depends on the batch's shape alone, never on the
// machine or the thread count, so a run's bits do not either.
int micro_batch_sequences(int B, int T);

}  // namespace emlab::nn
