// Why parts: a batch's activations outgrow the caches (tiny: 0.9 MB a sequence with the gradient
// scratch, 29 MB for its 32 sequences), and every op then streams its operands from memory. Parts
// of 1,024 positions, measured against the whole batch on two threads (the same step, alternated
// a second at a time): tiny 1.17x faster (parts of 512 positions 1.16x, of 256 1.12x), small
// 1.02x, medium and text-128 1.01x, text-64 1.01x.
#include "nn/micro_batch.hpp"

#include <numeric>

namespace emlab::nn {

int micro_batch_sequences(int B, int T) {
  if (B <= 1 || T <= 0) return B;
  // a multiple of `step` sequences spans whole blocks of kMicroBatchRowAlign positions
  const int step = kMicroBatchRowAlign / std::gcd(kMicroBatchRowAlign, T);
  const int wanted = (kMinMicroBatchRows + T - 1) / T;
  const int part = (wanted + step - 1) / step * step;
  return part < B ? part : B;
}

}  // namespace emlab::nn
