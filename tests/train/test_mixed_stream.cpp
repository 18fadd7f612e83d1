// Two streams interleaved by rows: the share of rows from the second is what was asked, each row
// is a whole row of one of them, and a restored stream continues with the very same rows.
#include <gtest/gtest.h>

#include "support/error_message.hpp"
#include "train/mixed_stream.hpp"
#include "train/synthetic_streams.hpp"

namespace emlab::train {
namespace {

using testing::error_message;

// Counting rows over 10 symbols beside copy episodes over 30 (symbols 0..28, separator 29): a
// row holding a token >= 10 or an unscored position is a copy row.
MixedStream counting_with_copies(double share, uint64_t seed) {
  return MixedStream(std::make_unique<CountingStream>(10, seed + 1),
                     std::make_unique<CopyStream>(30, 4, seed + 2), share, seed);
}

bool is_counting_row(const int32_t* tokens, const int32_t* targets, int T) {
  for (int j = 0; j < T; ++j)
    if (tokens[j] >= 10 || targets[j] != (tokens[j] + 1) % 10) return false;
  return true;
}

TEST(MixedStream, TheShareOfRowsFromTheSecondStreamIsTheOneAskedFor) {
  auto mixed = counting_with_copies(0.2, 3);
  EXPECT_EQ(mixed.vocab_size(), 30);
  constexpr int B = 50, T = 12, batches = 40;
  std::vector<int32_t> tokens(B * T), targets(B * T);
  int second = 0;
  for (int i = 0; i < batches; ++i) {
    mixed.next_batch(B, T, tokens.data(), targets.data());
    for (int b = 0; b < B; ++b)
      second += is_counting_row(&tokens[b * T], &targets[b * T], T) ? 0 : 1;
  }
  // 2,000 rows at p = 0.2: sd = sqrt(2000 * 0.16) = 17.9 rows, so 400 +- 90 is 5 sd.
  EXPECT_NEAR(second, 400, 90);
  EXPECT_NE(mixed.describe().find("with 20% of rows from"), std::string::npos) << mixed.describe();
}

TEST(MixedStream, ARestoredStreamContinuesWithTheSameRows) {
  auto a = counting_with_copies(0.5, 7), b = counting_with_copies(0.5, 8);
  constexpr int B = 6, T = 10;
  std::vector<int32_t> ta(B * T), ga(B * T), tb(B * T), gb(B * T);
  a.next_batch(B, T, ta.data(), ga.data());
  const std::string state = a.save_state();
  b.restore_state(state);
  for (int step = 0; step < 5; ++step) {
    a.next_batch(B, T, ta.data(), ga.data());
    b.next_batch(B, T, tb.data(), gb.data());
    EXPECT_EQ(ta, tb);
    EXPECT_EQ(ga, gb);
  }
}

TEST(MixedStream, BadSharesAndDamagedStatesAreClearErrors) {
  EXPECT_EQ(error_message([] { counting_with_copies(1.0, 1); }),
            "mixed stream: the share must be in (0, 1) (got 1)");
  auto mixed = counting_with_copies(0.3, 1);
  EXPECT_NE(error_message([&] { mixed.restore_state("0123"); }).find("expected \"mixed "),
            std::string::npos);
  std::string state = mixed.save_state();
  EXPECT_NE(error_message([&] {
              mixed.restore_state(state.substr(0, state.size() - 3));
            }).find("a length that does not fit the state"),
            std::string::npos);
  EXPECT_NE(error_message([&] { mixed.restore_state(state + "xy"); }).find("2 bytes after"),
            std::string::npos);
}

}  // namespace
}  // namespace emlab::train
