#pragma once
// How many sequences Gpt::train_step runs through forward and backward at a time. A batch taken
// in parts gives the same bits as the whole batch, so this is a choice of speed alone.
namespace emlab::nn {

// Parts start at multiples of this many positions: emlab's product sums a weight gradient over
// the batch in blocks of 256 positions, so parts that start on a block boundary add the same
// blocks in the same order.
inline constexpr int kMicroBatchRowAlign = 256;
// Positions a part spans at least: fewer, and the products' and row ops' fixed costs outweigh
// what keeping a part's activations in cache saves.
inline constexpr int kMinMicroBatchRows = 1024;

// Sequences per part for a batch of B sequences of length T: the fewest that span at least
// kMinMicroBatchRows positions in a multiple of kMicroBatchRowAlign, or B (one part) if that is
// not fewer than B.
int micro_batch_sequences(int B, int T);

}  // namespace emlab::nn
