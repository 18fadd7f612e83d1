// Why parts: a batch's activations outgrow the caches (tiny: 0.9 MB a sequence with the gradient
// scratch, 29 MB for its 32 sequences), and every op then streams its operands from memory; and
// ops split over threads wait for each other at every op's end. Parts of 1,024 positions run
// one after the other, each op still split over the threads, were 1.17x faster on tiny (parts of
// 512 positions 1.16x, of 256 1.12x) and 1.01-1.02x on the other shapes; run side by side, a part
// to a thread, they gained another 1.14x (tiny), 1.11x (small), 1.09x (medium, text-64) and 1.08x
// (text-128), on two threads, the steps alternated a second at a time.
#include "nn/micro_batch.hpp"

namespace emlab::nn {

int micro_batch_sequences(int B, int T) {
  if (B <= 1 || T <= 0) return B;
  const int part = (kMinMicroBatchRows + T - 1) / T;
  return part < B ? part : B;
}

}  // namespace emlab::nn
