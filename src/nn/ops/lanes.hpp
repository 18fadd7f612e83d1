#pragma once
// Sixteen floats as one value, for the row-wise ops GCC does not vectorise by itself (short rows,
// masked ends, reductions it may not reorder): a GCC vector extension, one AVX-512 register, two
// AVX ones, or plain floats, whatever the build targets. Reductions fold the lanes in a fixed tree,
// so the order of a sum is the same on every build.
#include <cstdint>
#include <cstring>
#include <utility>

namespace emlab::nn::ops {

// FloatLanes, and its integer twin for masks and exponent bits.
constexpr int kLanes = 16;
using FloatLanes = float __attribute__((vector_size(4 * kLanes)));
using IntLanes = int32_t __attribute__((vector_size(4 * kLanes)));

// Each lane's index, for masks: kLaneIndex < n keeps the first n lanes.
inline constexpr IntLanes kLaneIndex = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

// x in every lane (written out: 0 + x would cost an addition, and turn -0 into +0)
inline FloatLanes splat(float x) {
  return FloatLanes{x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x};
}

inline FloatLanes load_lanes(const float* p) {
  FloatLanes v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store_lanes(float* p, FloatLanes v) {
  std::memcpy(p, &v, sizeof v);
}

// v's lanes folded in halves: 16 -> 8 -> 4 -> 2 -> 1.
inline float fold_max(FloatLanes v) {
  FloatLanes h =
      __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);
  v = h > v ? h : v;
  h = __builtin_shufflevector(v, v, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3);
  v = h > v ? h : v;
  h = __builtin_shufflevector(v, v, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1);
  v = h > v ? h : v;
  return v[1] > v[0] ? v[1] : v[0];
}
inline float fold_sum(FloatLanes v) {
  v += __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);
  v += __builtin_shufflevector(v, v, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3);
  v += __builtin_shufflevector(v, v, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1);
  return v[0] + v[1];
}

namespace detail {
// One stage of a 16 × 16 transpose: rows r and r + kBlock (r & kBlock == 0) swap their
// off-diagonal blocks of kBlock lanes. Stages of 8, 4, 2 and 1 lanes transpose the whole tile.
template <int kBlock, int... kLane>
inline void swap_blocks(FloatLanes* rows, std::integer_sequence<int, kLane...>) {
  for (int r = 0; r < kLanes; ++r) {
    if ((r & kBlock) != 0) continue;
    const FloatLanes top = rows[r], bottom = rows[r + kBlock];
    rows[r] = __builtin_shufflevector(top, bottom,
                                      ((kLane & kBlock) == 0 ? kLane : 16 + kLane - kBlock)...);
    rows[r + kBlock] = __builtin_shufflevector(
        top, bottom, ((kLane & kBlock) == 0 ? kLane + kBlock : 16 + kLane)...);
  }
}
}  // namespace detail

// rows[r][l] <- rows[l][r]: a 16 × 16 tile of floats transposed in registers.
inline void transpose_16x16(FloatLanes* rows) {
  constexpr auto lanes = std::make_integer_sequence<int, kLanes>{};
  detail::swap_blocks<8>(rows, lanes);
  detail::swap_blocks<4>(rows, lanes);
  detail::swap_blocks<2>(rows, lanes);
  detail::swap_blocks<1>(rows, lanes);
}

}  // namespace emlab::nn::ops
