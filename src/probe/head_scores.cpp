#include "probe/head_scores.hpp"

#include <cstddef>
#include <cstdint>

namespace emlab::probe {

namespace {

// Σ over rows i ≥ L of Σ_k A[i][i - kL + shift], k = 1..⌊i/L⌋.
double copy_offset_mass(const float* pattern, int block, int repeats, int shift) {
  const int T = block * repeats;
  double total = 0.0;
  for (int i = block; i < T; ++i) {
    const float* row = pattern + int64_t{i} * T;
    for (int j = i - block; j >= 0; j -= block) total += row[j + shift];
  }
  return total;
}

}  // namespace

double previous_token_score(const float* pattern, int T) {
  if (T < 2) return 0.0;
  double total = 0.0;
  for (int i = 1; i < T; ++i) total += pattern[int64_t{i} * T + i - 1];
  return total / (T - 1);
}

double induction_score(const float* pattern, int block, int repeats) {
  const int rows = block * (repeats - 1);
  return copy_offset_mass(pattern, block, repeats, 1) / rows;
}

double uniform_induction_score(int block, int repeats) {
  const int T = block * repeats;
  std::vector<float> uniform(size_t(T) * size_t(T), 0.0f);
  for (int i = 0; i < T; ++i)
    for (int j = 0; j <= i; ++j) uniform[size_t(i) * size_t(T) + size_t(j)] = 1.0f / float(i + 1);
  return induction_score(uniform.data(), block, repeats);
}

double induction_mul_score(const float* pattern, int block, int repeats) {
  const int T = block * repeats;
  double all = 0.0;
  for (int64_t i = 0; i < int64_t{T} * T; ++i) all += pattern[i];
  return all > 0 ? copy_offset_mass(pattern, block, repeats, 1) / all : 0.0;
}

double duplicate_token_score(const float* pattern, int block, int repeats) {
  const int rows = block * (repeats - 1);
  return copy_offset_mass(pattern, block, repeats, 0) / rows;
}

std::vector<HeadScores> score_heads(const float* attention, int B, int H, int block, int repeats) {
  const int T = block * repeats;
  std::vector<HeadScores> scores(static_cast<size_t>(H));
  for (int b = 0; b < B; ++b) {
    for (int h = 0; h < H; ++h) {
      const float* p = attention + (int64_t{b} * H + h) * T * T;
      HeadScores& s = scores[static_cast<size_t>(h)];
      s.previous_token += previous_token_score(p, T) / B;
      s.induction += induction_score(p, block, repeats) / B;
      s.induction_mul += induction_mul_score(p, block, repeats) / B;
      s.duplicate_token += duplicate_token_score(p, block, repeats) / B;
    }
  }
  return scores;
}

}  // namespace emlab::probe
