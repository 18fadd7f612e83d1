#pragma once
// exp for float that GCC vectorises (glibc's expf and tanhf are scalar calls without
// -ffast-math, and were a quarter of a training step). Cody-Waite range reduction and the degree-6
// minimax polynomial of Cephes' expf (S. Moshier); relative error below 5e-7 on [-87, 88], inputs
// clamped to that range; NaN in, NaN out. Written with ternaries and an integer floor because GCC
// 12 does not vectorise std::fmin or std::floor here (it needs -fno-trapping-math too, set in
// Warnings.cmake).
#include <cstdint>

namespace emlab::nn::ops {

inline float fast_exp(float input) {
  // Comparisons written so NaN lands inside the range (no undefined float-to-int conversion);
  // the NaN itself is returned at the end, so divergence still propagates.
  float x = input > -87.0f ? input : -87.0f;
  x = x < 88.0f ? x : 88.0f;
  const float t = x * 1.44269504088896341f + 0.5f;           // x / ln 2, rounded below...
  const int32_t n = static_cast<int32_t>(t + 128.0f) - 128;  // ...by truncation of a positive
  const float nf = static_cast<float>(n);
  const float r = (x - nf * 0.693359375f) - nf * -2.12194440e-4f;  // x - n·ln 2 in two parts
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  const float result = p * __builtin_bit_cast(float, (n + 127) << 23);  // × 2^n via exponent bits
  return input == input ? result : input;
}

}  // namespace emlab::nn::ops
