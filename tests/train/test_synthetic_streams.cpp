// The repeats stream: seeded and resumable, every target the next token, and copied spans present
// at varying offsets and lengths (what position alone cannot predict).
#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "core/error.hpp"
#include "train/synthetic_streams.hpp"

namespace emlab::train {
namespace {

TEST(RepeatedSpansStream, RowsHoldCopiedSpansAtVaryingPlacesAndTargetsAreNextTokens) {
  constexpr int B = 64, T = 48, V = 200;
  RepeatedSpansStream stream(V, 10, 3);
  std::vector<int32_t> tokens(B * T), targets(B * T);
  stream.next_batch(B, T, tokens.data(), targets.data());
  std::set<int> lags, starts;
  int copied = 0;
  for (int b = 0; b < B; ++b) {
    const int32_t* row = tokens.data() + b * T;
    for (int t = 0; t < T; ++t) {
      ASSERT_GE(row[t], 0);
      ASSERT_LT(row[t], V);
      if (t + 1 < T) EXPECT_EQ(targets[static_cast<size_t>(b * T + t)], row[t + 1]);
    }
    // A bigram seen earlier in the row (with V = 200 rarely by chance): part of a copied span.
    for (int t = 1; t + 1 < T; ++t)
      for (int j = 0; j + 1 < t; ++j)
        if (row[j] == row[t] && row[j + 1] == row[t + 1]) {
          ++copied;
          lags.insert(t - j);
          starts.insert(t);
          break;
        }
  }
  EXPECT_GT(copied, B * T / 6);   // a good share of tokens can be copied
  EXPECT_GT(lags.size(), 20u);    // at many distances
  EXPECT_GT(starts.size(), 30u);  // from many positions
}

TEST(RepeatedSpansStream, SameSeedSameTokensAndAResumedStreamContinuesExactly) {
  RepeatedSpansStream a(50, 8, 9), b(50, 8, 9);
  std::vector<int32_t> ta(4 * 32), ga(4 * 32), tb(4 * 32), gb(4 * 32);
  a.next_batch(4, 32, ta.data(), ga.data());
  const std::string state = a.save_state();
  a.next_batch(4, 32, ta.data(), ga.data());
  b.restore_state(state);
  b.next_batch(4, 32, tb.data(), gb.data());
  EXPECT_EQ(ta, tb);
  EXPECT_EQ(ga, gb);
  EXPECT_THROW(RepeatedSpansStream(50, 1, 9), Error);
  StreamConfig config;
  config.task = "repeats";
  config.span = 12;
  EXPECT_EQ(make_synthetic_stream(config, 64, 1)->describe(), "repeats(span=12, vocab=64)");
}

}  // namespace
}  // namespace emlab::train
