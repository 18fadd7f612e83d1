// Hand-computed cases for the generation metrics: exact match, position-wise token accuracy,
// token edit distance and the mean target-token probability.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "eval/sequence_metrics.hpp"
#include "support/error_message.hpp"

namespace emlab::eval {
namespace {

using emlab::testing::error_message;

TEST(ExactMatch, SameSequenceOnly) {
  EXPECT_TRUE(exact_match({1, 2, 3}, {1, 2, 3}));
  EXPECT_FALSE(exact_match({1, 2}, {1, 2, 3}));        // short
  EXPECT_FALSE(exact_match({1, 2, 3, 4}, {1, 2, 3}));  // long: extra tokens break the match
  EXPECT_FALSE(exact_match({}, {1}));                  // empty output
  EXPECT_FALSE(exact_match({1, 2, 4}, {1, 2, 3}));
}

TEST(FinalAnswerMatch, ComparesWhatFollowsTheScratchpad) {
  // 21 is "|" (ends a scratchpad), 2 is <eos>; digits are 5..14.
  const Tokens target = {7, 19, 8, 21, 9, 10, 2};
  EXPECT_TRUE(final_answer_match(target, target, 21));
  EXPECT_TRUE(final_answer_match({8, 8, 21, 9, 10, 2}, target, 21));   // other steps, same answer
  EXPECT_TRUE(final_answer_match({21, 9, 10}, target, 21));            // no <eos>: cut anyway
  EXPECT_FALSE(final_answer_match({7, 19, 8, 21, 9, 2}, target, 21));  // answer short
  EXPECT_FALSE(final_answer_match({7, 19, 8, 9, 10, 2}, target, 21));  // no separator
  // Without a separator it is exact_match: the whole sequence, <eos> included.
  EXPECT_FALSE(final_answer_match({21, 9, 10, 2}, target, -1));
  EXPECT_TRUE(final_answer_match(target, target, -1));
  EXPECT_FALSE(final_answer_match({9, 10}, {9, 10, 2}, -1));
}

TEST(TokenAccuracy, PositionWiseOverTheLongerSequence) {
  EXPECT_DOUBLE_EQ(token_accuracy({1, 2, 3}, {1, 2, 3}), 1.0);
  EXPECT_DOUBLE_EQ(token_accuracy({1, 9, 3}, {1, 2, 3}), 2.0 / 3.0);
  // Short output: positions 2 and 3 are missing and count wrong -> 2/4.
  EXPECT_DOUBLE_EQ(token_accuracy({1, 2}, {1, 2, 3, 4}), 0.5);
  EXPECT_DOUBLE_EQ(token_accuracy({}, {1, 2, 3}), 0.0);
  // Long output: 3 matches over max(5, 3) = 5 positions, so rambling past the answer costs.
  EXPECT_DOUBLE_EQ(token_accuracy({1, 2, 3, 4, 5}, {1, 2, 3}), 0.6);
  // Position-wise, no alignment: a shifted answer scores 0 although its edit distance is 1.
  EXPECT_DOUBLE_EQ(token_accuracy({2, 3}, {1, 2, 3}), 0.0);
  EXPECT_DOUBLE_EQ(token_accuracy({7}, {7}), 1.0);
  EXPECT_DOUBLE_EQ(token_accuracy({8}, {7}), 0.0);
}

TEST(TokenAccuracy, EmptyTargetIsAnError) {
  EXPECT_NE(error_message([] { token_accuracy({1}, {}); }).find("target is empty"),
            std::string::npos);
}

TEST(TokenEditDistance, Levenshtein) {
  // "kitten" -> "sitting": substitute k->s, e->i, insert g.
  const Tokens kitten = {'k', 'i', 't', 't', 'e', 'n'};
  const Tokens sitting = {'s', 'i', 't', 't', 'i', 'n', 'g'};
  EXPECT_EQ(token_edit_distance(kitten, sitting), 3u);
  EXPECT_EQ(token_edit_distance(sitting, kitten), 3u);
  EXPECT_EQ(token_edit_distance({1, 2, 3}, {1, 2, 3}), 0u);
  EXPECT_EQ(token_edit_distance({}, {1, 2, 3}), 3u);  // empty output: 3 insertions
  EXPECT_EQ(token_edit_distance({1, 2, 3}, {}), 3u);  // 3 deletions
  EXPECT_EQ(token_edit_distance({}, {}), 0u);
  EXPECT_EQ(token_edit_distance({2, 3}, {1, 2, 3}), 1u);           // one insertion at the front
  EXPECT_EQ(token_edit_distance({1, 2, 3, 4, 5}, {1, 2, 3}), 2u);  // long output: 2 deletions
  EXPECT_EQ(token_edit_distance({1, 2, 3}, {3, 2, 1}), 2u);        // two substitutions
  EXPECT_EQ(token_edit_distance({1, 2}, {2, 1}), 2u);              // no transposition operation
}

TEST(MeanTokenProbability, ArithmeticMean) {
  EXPECT_DOUBLE_EQ(mean_token_probability({0.5, 0.25, 1.0}), 1.75 / 3.0);
  EXPECT_DOUBLE_EQ(mean_token_probability({0.0}), 0.0);
  EXPECT_THROW(mean_token_probability({}), Error);
}

}  // namespace
}  // namespace emlab::eval
