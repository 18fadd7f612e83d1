// Why parts (two threads, the same step alternated with another build a second at a time): a
// batch's activations outgrow the caches (tiny: 0.9 MB a sequence with the gradient scratch, 29 MB
// for its 32 sequences), and ops split over threads wait for each other at every op's end. Parts
// of 1,024 positions run one after another were 1.17x faster on tiny and 1.01-1.02x on the other
// bench shapes; run side by side, a part to a thread, another 1.14x (tiny), 1.11x (small), 1.09x
// (medium, text-64) and 1.08x (text-128). Parts of 512 positions there were 0.98-0.99x of parts
// of 1,024. The default sweep's models (1,024 positions a batch) in two parts of 512: width 32
// 1.86x, 48 1.31x, 64 1.40x, and 96 (3 layers) 0.98x.
#include "nn/micro_batch.hpp"

#include <algorithm>
#include <cstdint>

namespace emlab::nn {

int micro_batch_sequences(int B, int T) {
  if (B <= 1 || T <= 0) return B;
  const int64_t rows = std::min<int64_t>(kMicroBatchRows, int64_t{B} * T / 2);
  if (rows < kMinMicroBatchRows) return B;
  const auto part = static_cast<int>((rows + T - 1) / T);
  return part < B ? part : B;
}

}  // namespace emlab::nn
