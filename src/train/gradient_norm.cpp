#include "train/gradient_norm.hpp"

#include <array>
#include <cmath>
#include <cstdint>

namespace emlab::train {

double global_norm(std::span<const float> values) {
  constexpr int kChunks = 64;
  std::array<double, kChunks> partial{};
  const auto n = static_cast<int64_t>(values.size());
  const float* v = values.data();
#pragma omp parallel for schedule(static)
  for (int c = 0; c < kChunks; ++c) {
    const int64_t begin = n * c / kChunks, end = n * (c + 1) / kChunks;
    // Eight partial sums in a fixed order, so GCC may vectorise them (one running sum was a chain
    // of dependent additions: 28 us of a tiny model's step) and the norm stays the same on any
    // thread count.
    constexpr int kLanes = 8;
    double lanes[kLanes] = {};
    const int64_t whole = begin + (end - begin) / kLanes * kLanes;
    for (int64_t i = begin; i < whole; i += kLanes)
      for (int l = 0; l < kLanes; ++l) lanes[l] += static_cast<double>(v[i + l]) * v[i + l];
    double sum = 0.0;
    for (int64_t i = whole; i < end; ++i) sum += static_cast<double>(v[i]) * v[i];
    for (const double lane : lanes) sum += lane;
    partial[static_cast<size_t>(c)] = sum;
  }
  double total = 0.0;
  for (double p : partial) total += p;
  return std::sqrt(total);
}

void scale_values(std::span<float> values, float scale) {
  float* v = values.data();
  const auto n = static_cast<int64_t>(values.size());
#pragma omp parallel for simd schedule(static)
  for (int64_t i = 0; i < n; ++i) v[i] *= scale;
}

}  // namespace emlab::train
