#pragma once
// exp for float that GCC vectorises (glibc's expf and tanhf are scalar calls without
// -ffast-math, and were a quarter of a training step). Cody-Waite range reduction and the degree-6
// minimax polynomial of Cephes' expf (S. Moshier); relative error below 5e-7 on [-87, 88], inputs
// clamped to that range; NaN in, NaN out. Written with ternaries and an integer floor because GCC
// 12 does not vectorise std::fmin or std::floor here (it needs -fno-trapping-math too, set in
// Warnings.cmake). One template serves a float and sixteen (FloatLanes, nn/ops/lanes.hpp), so the
// loops GCC vectorises itself and the ones written with vectors compute the same function.
#include <cstdint>

#include "nn/ops/lanes.hpp"

namespace emlab::nn::ops {

namespace detail {
inline int32_t truncate(float x) {
  return static_cast<int32_t>(x);
}
inline IntLanes truncate(FloatLanes x) {
  return __builtin_convertvector(x, IntLanes);
}
inline float to_float(int32_t n) {
  return static_cast<float>(n);
}
inline FloatLanes to_float(IntLanes n) {
  return __builtin_convertvector(n, FloatLanes);
}
inline float from_bits(int32_t bits) {
  return __builtin_bit_cast(float, bits);
}
inline FloatLanes from_bits(IntLanes bits) {
  return __builtin_bit_cast(FloatLanes, bits);
}
}  // namespace detail

template <class Float>
inline Float fast_exp(Float input) {
  // Comparisons written so NaN lands inside the range (no undefined float-to-int conversion);
  // the NaN itself is returned at the end, so divergence still propagates.
  Float x = input > -87.0f ? input : -87.0f;
  x = x < 88.0f ? x : 88.0f;
  const Float t = x * 1.44269504088896341f + 0.5f;    // x / ln 2, rounded below...
  const auto n = detail::truncate(t + 128.0f) - 128;  // ...by truncation of a positive
  const Float nf = detail::to_float(n);
  const Float r = (x - nf * 0.693359375f) - nf * -2.12194440e-4f;  // x - n·ln 2 in two parts
  Float p = Float{} + 1.9875691500e-4f;  // a float, or that float in every lane
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  const Float result = p * detail::from_bits((n + 127) << 23);  // × 2^n via exponent bits
  return input == input ? result : input;
}

}  // namespace emlab::nn::ops
