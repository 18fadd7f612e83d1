#include "probe/context_losses.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/error.hpp"
#include "nn/gpt.hpp"
#include "train/token_stream.hpp"

namespace emlab::probe {

InContextLosses in_context_positions(int context) {
  InContextLosses p;
  p.early_position = static_cast<int>(std::lround(context * 50.0 / 512.0));
  // The last position has no next token within the row.
  p.late_position = std::min(context - 2, static_cast<int>(std::lround(context * 500.0 / 512.0)));
  return p;
}

InContextLosses in_context_losses(nn::Gpt& model, train::TokenStream& stream, int rows) {
  const int T = model.config().context;
  InContextLosses out = in_context_positions(T);
  require(out.late_position > out.early_position,
          "in-context score: a context of {} tokens is too short to compare early and late "
          "positions",
          T);
  std::vector<int32_t> tokens, targets;
  double early = 0, late = 0;
  int early_rows = 0, late_rows = 0;
  for (int first = 0; first < rows; first += model.max_batch()) {
    const int B = std::min(model.max_batch(), rows - first);
    tokens.resize(static_cast<size_t>(B) * T);
    targets.resize(tokens.size());
    stream.next_batch(B, T, tokens.data(), targets.data());
    // Every next token is scored, as in text, whatever the stream trains on: a task stream
    // scores only answers, which would leave most positions out.
    for (int b = 0; b < B; ++b)
      for (int t = 0; t < T; ++t) {
        const size_t at = static_cast<size_t>(b) * T + t;
        targets[at] = t + 1 < T ? tokens[at + 1] : -1;
      }
    model.forward(tokens.data(), targets.data(), B, T);
    const float* losses = model.position_losses();
    for (int b = 0; b < B; ++b) {
      const int64_t row = int64_t{b} * T;
      if (targets[static_cast<size_t>(row + out.early_position)] >= 0) {
        early += losses[row + out.early_position];
        ++early_rows;
      }
      if (targets[static_cast<size_t>(row + out.late_position)] >= 0) {
        late += losses[row + out.late_position];
        ++late_rows;
      }
    }
  }
  require(early_rows > 0 && late_rows > 0,
          "in-context score: none of {} held-out sequences is scored at positions {} and {}", rows,
          out.early_position, out.late_position);
  out.early_loss = early / early_rows;
  out.late_loss = late / late_rows;
  out.rows = std::min(early_rows, late_rows);
  return out;
}

RepeatLosses repeat_losses(nn::Gpt& model, const RepeatedBlocks& blocks) {
  const int T = blocks.length();
  double first = 0, repeated = 0;
  int64_t first_n = 0, repeated_n = 0;
  for (int r0 = 0; r0 < blocks.rows; r0 += model.max_batch()) {
    const int B = std::min(model.max_batch(), blocks.rows - r0);
    const size_t at = static_cast<size_t>(r0) * T;
    model.forward(blocks.tokens.data() + at, blocks.targets.data() + at, B, T);
    const float* losses = model.position_losses();
    for (int b = 0; b < B; ++b)
      for (int t = 0; t + 1 < T; ++t) {
        // Position t predicts token t+1: the first copy's tokens are those at t+1 < L.
        const double l = losses[int64_t{b} * T + t];
        if (t + 1 < blocks.block) {
          first += l;
          ++first_n;
        } else {
          repeated += l;
          ++repeated_n;
        }
      }
  }
  return {first_n > 0 ? first / static_cast<double>(first_n) : 0.0,
          repeated_n > 0 ? repeated / static_cast<double>(repeated_n) : 0.0};
}

}  // namespace emlab::probe
