// The repeats stream: seeded and resumable, every target the next token, and copied spans present
// at varying offsets and lengths (what position alone cannot predict). The markov stream: each
// row keeps to its own chain, whose successors differ between rows.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "core/error.hpp"
#include "stream_checks.hpp"
#include "train/synthetic_streams.hpp"
#include "train/train_config.hpp"

namespace emlab::train {
namespace {

using testing::expect_resumes_exactly;

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
      if (t + 1 < T) {
        EXPECT_EQ(targets[static_cast<size_t>(b * T + t)], row[t + 1]);
      }
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
  expect_resumes_exactly(a, b);
  EXPECT_THROW(RepeatedSpansStream(50, 1, 9), Error);
  StreamConfig config;
  config.task = "repeats";
  config.span = 12;
  EXPECT_EQ(make_synthetic_stream(config, 64, 1)->describe(), "repeats(span=12, vocab=64)");
}

TEST(MarkovStream, EachRowFollowsItsOwnChainWithTheGivenNumberOfSuccessors) {
  constexpr int B = 32, T = 256, V = 8, kSuccessors = 3;
  MarkovStream stream(V, kSuccessors, 5);
  std::vector<int32_t> tokens(B * T), targets(B * T);
  stream.next_batch(B, T, tokens.data(), targets.data());
  std::set<std::set<int32_t>> successor_sets;  // of each row's most visited state
  for (int b = 0; b < B; ++b) {
    std::map<int32_t, std::set<int32_t>> seen;  // what followed each state in this row
    std::map<int32_t, int> visits;
    for (int t = 0; t < T; ++t) {
      const int32_t token = tokens[static_cast<size_t>(b * T + t)];
      const int32_t target = targets[static_cast<size_t>(b * T + t)];
      ASSERT_GE(token, 0);
      ASSERT_LT(token, V);
      if (t + 1 < T) {
        EXPECT_EQ(target, tokens[static_cast<size_t>(b * T + t + 1)]);
      }
      seen[token].insert(target);
      ++visits[token];
    }
    // A random chain need not reach every state. A state visited 30 times shows all its
    // successors (missing one of 3 has probability about 3 (2/3)^30 < 1e-4).
    for (const auto& [state, next] : seen) {
      EXPECT_LE(next.size(), size_t{kSuccessors});
      if (visits[state] >= 30) {
        EXPECT_EQ(next.size(), size_t{kSuccessors});
      }
    }
    const auto most = std::max_element(visits.begin(), visits.end(),
                                       [](auto& x, auto& y) { return x.second < y.second; });
    successor_sets.insert(seen[most->first]);
  }
  EXPECT_GT(successor_sets.size(), 10u) << "every row draws its own chain";
}

TEST(MarkovStream, SeededResumableAndCheckedAtConstruction) {
  MarkovStream a(16, 2, 9), b(16, 2, 9);
  expect_resumes_exactly(a, b);
  EXPECT_THROW(MarkovStream(16, 0, 9), Error);
  EXPECT_THROW(MarkovStream(16, 17, 9), Error);
  StreamConfig config;
  config.task = "markov";
  config.successors = 3;
  EXPECT_EQ(make_synthetic_stream(config, 16, 1)->describe(), "markov(successors=3, vocab=16)");
}

TEST(MarkovStream, SuccessorsAreStoredWithMarkovRunsOnlySoOldConfigsStayEqual) {
  TrainConfig markov;
  markov.data.task = "markov";
  markov.data.successors = 3;
  const nlohmann::json j = to_json(markov);
  EXPECT_EQ(j.at("data").at("successors"), 3);
  EXPECT_EQ(train_config_from_json(j).data.successors, 3);
  // Configs of the other streams are written exactly as before the markov stream existed.
  EXPECT_FALSE(to_json(TrainConfig{}).at("data").contains("successors"));
}

}  // namespace
}  // namespace emlab::train
