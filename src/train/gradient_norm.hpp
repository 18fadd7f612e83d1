#pragma once
#include <span>

namespace emlab::train {

// L2 norm of all gradients, summed in double over fixed chunks in a fixed order: the same value
// for any thread count. Non-finite if any gradient is.
double global_norm(std::span<const float> values);

// Multiplies every value by scale (for gradient clipping).
void scale_values(std::span<float> values, float scale);

}  // namespace emlab::train
