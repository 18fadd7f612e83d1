// The hops stream (Sanford, Hsu & Telgarsky 2024): hop positions worked out by hand, every row's
// marker and labels, one k per row spread over 0..max, the same strings asked for another k, and
// seeded, resumable rows.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "core/error.hpp"
#include "stream_checks.hpp"
#include "train/hop_stream.hpp"
#include "train/train_config.hpp"

namespace emlab::train {
namespace {

// "a b a b c a b": the previous a of position 2 is 0, the previous b of 3 is 1, and so on.
const std::vector<int> kString = {0, 1, 0, 1, 2, 0, 1};

TEST(HopPositions, WorkedOutByHand) {
  EXPECT_EQ(hop_positions(kString, 0), (std::vector<int>{0, 1, 2, 3, 4, 5, 6}));
  // One hop: previous occurrence, then one step right (2 -> 0 -> 1; 6 -> 3 -> 4).
  EXPECT_EQ(hop_positions(kString, 1), (std::vector<int>{-1, -1, 1, 2, -1, 3, 4}));
  // Two hops: 3 -> 2 -> 1; 5 -> 3 -> 2; 6 -> 4, whose c never occurred before.
  EXPECT_EQ(hop_positions(kString, 2), (std::vector<int>{-1, -1, -1, 1, -1, 2, -1}));
  EXPECT_EQ(hop_positions(kString, 3), (std::vector<int>{-1, -1, -1, -1, -1, 1, -1}));
  EXPECT_EQ(hop_positions(kString, 4), std::vector<int>(7, -1));
  EXPECT_TRUE(hop_positions({}, 2).empty());
}

TEST(HopStream, AskHopsLabelsEveryPositionOfTheSameString) {
  HopStream stream(16, 4, 4, 1);
  constexpr int T = 8;  // the marker and the 7 letters of kString
  std::vector<int32_t> tokens(T), targets(T);
  for (int j = 1; j < T; ++j) tokens[j] = kString[size_t(j - 1)];
  stream.ask_hops(2, T, tokens.data(), targets.data());
  EXPECT_EQ(tokens[0], 4 + 2);  // letters 0..3, then one marker per k
  // Letters reached: position 3 -> 1 (b), position 5 -> 2 (a); the rest unscored.
  EXPECT_EQ(targets, (std::vector<int32_t>{-1, -1, -1, -1, 1, -1, 0, -1}));
  stream.ask_hops(1, T, tokens.data(), targets.data());
  EXPECT_EQ(tokens[0], 4 + 1);
  EXPECT_EQ(targets, (std::vector<int32_t>{-1, -1, -1, 1, 0, -1, 1, 2}));
  stream.ask_hops(0, T, tokens.data(), targets.data());
  EXPECT_EQ(std::vector<int32_t>(targets.begin() + 1, targets.end()),
            std::vector<int32_t>(tokens.begin() + 1, tokens.end()));
  EXPECT_THROW(stream.ask_hops(5, T, tokens.data(), targets.data()), Error);
}

TEST(HopStream, EveryRowAsksOneKAndItsLabelsFollowTheHops) {
  constexpr int B = 200, T = 40, letters = 4, max_hops = 4;
  HopStream stream(16, letters, max_hops, 7);
  EXPECT_EQ(stream.vocab_size(), letters + max_hops + 1);
  std::vector<int32_t> tokens(B * T), targets(B * T);
  stream.next_batch(B, T, tokens.data(), targets.data());
  std::set<int> ks;
  for (int b = 0; b < B; ++b) {
    const int32_t* row = tokens.data() + b * T;
    const int32_t* labels = targets.data() + b * T;
    const int k = row[0] - letters;
    ASSERT_GE(k, 0);
    ASSERT_LE(k, max_hops);
    ks.insert(k);
    EXPECT_EQ(labels[0], -1);
    std::vector<int> s(row + 1, row + T);
    for (size_t i = 1; i < s.size(); ++i) ASSERT_NE(s[i], s[i - 1]) << "equal neighbours";
    const std::vector<int> reached = hop_positions(s, k);
    for (int j = 1; j < T; ++j) {
      const int p = reached[size_t(j - 1)];
      EXPECT_EQ(labels[j], p < 0 ? -1 : s[size_t(p)]);
      // One hop lands right of an equal letter, and neighbours differ: never the current letter.
      if (k == 1 && labels[j] >= 0) {
        EXPECT_NE(labels[j], row[j]);
      }
    }
  }
  EXPECT_EQ(ks.size(), size_t(max_hops + 1));
}

TEST(HopStream, SeededResumableAndCheckedAtConstruction) {
  HopStream a(9, 4, 4, 3), b(9, 4, 4, 3);
  testing::expect_resumes_exactly(a, b);
  EXPECT_THROW(HopStream(8, 4, 4, 1), Error);  // 4 letters + 5 markers need 9 ids
  EXPECT_THROW(HopStream(64, 1, 4, 1), Error);
  EXPECT_THROW(HopStream(64, 4, HopStream::kMaxHops + 1, 1), Error);
}

TEST(HopStream, LettersAndHopsAreStoredWithHopsRunsOnlyAndBuildTheStream) {
  TrainConfig hops;
  hops.data.task = "hops";
  hops.data.letters = 5;
  hops.data.hops = 3;
  const TrainConfig back = train_config_from_json(to_json(hops));
  EXPECT_EQ(make_synthetic_stream(back.data, 16, 1)->describe(), "hops(letters=5, k=0..3)");
  // Configs of the other streams are written exactly as before the hops stream existed.
  EXPECT_FALSE(to_json(TrainConfig{}).at("data").contains("letters"));
  EXPECT_FALSE(to_json(TrainConfig{}).at("data").contains("hops"));
}

}  // namespace
}  // namespace emlab::train
