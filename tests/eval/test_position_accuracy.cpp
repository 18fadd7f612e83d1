// Hand-computed cases for per-position correctness and the exact match their product predicts.
#include <gtest/gtest.h>

#include <cmath>

#include "eval/position_accuracy.hpp"
#include "eval/task_summary.hpp"
#include "support/error_message.hpp"

namespace emlab::eval {
namespace {

using emlab::testing::error_message;
using Correct = std::vector<bool>;

TEST(PositionCorrect, TheTargetsPositions) {
  EXPECT_EQ(position_correct({5, 6, 0}, {5, 6, 0}), (Correct{true, true, true}));
  EXPECT_EQ(position_correct({5, 7, 0}, {5, 6, 0}), (Correct{true, false, true}));
  // Short: positions the output does not reach count wrong.
  EXPECT_EQ(position_correct({5}, {5, 6, 0}), (Correct{true, false, false}));
  EXPECT_EQ(position_correct({}, {5, 6}), (Correct{false, false}));
  // Runs on: the target's end token (0) is judged against the extra 7; what follows is no
  // position, so a right answer that runs on is wrong at one position, not at every extra one.
  EXPECT_EQ(position_correct({5, 6, 7, 0}, {5, 6, 0}), (Correct{true, true, false}));
}

TEST(PositionProduct, IndependentPositionsGiveExactMatch) {
  // Every combination once: accuracies 1/2 and 1/2, product 1/4 = the share right at both.
  EXPECT_DOUBLE_EQ(position_product({{true, true}, {true, false}, {false, true}, {false, false}}),
                   0.25);
}

TEST(PositionProduct, DependentPositionsDifferFromExactMatch) {
  // Right at both or wrong at both: accuracies 1/2 and 1/2 predict 1/4; exact match is 1/2.
  EXPECT_DOUBLE_EQ(position_product({{true, true}, {true, true}, {false, false}, {false, false}}),
                   0.25);
}

TEST(PositionProduct, BelowTheMeanAccuracyToTheL) {
  // An easy end position (always right) and a hard first one (right in 1 of 4): mean accuracy
  // 5/8, so p^L = 25/64 = 0.39; the product is 1/4 · 1 = 0.25.
  const std::vector<Correct> c = {{true, true}, {false, true}, {false, true}, {false, true}};
  EXPECT_DOUBLE_EQ(position_product(c), 0.25);
  EXPECT_GT(std::pow(5.0 / 8.0, 2), position_product(c));
}

TEST(PositionProduct, GroupsByTargetLength) {
  // Length 2: accuracies 1 and 1/2 -> 1/2. Length 3: 3/4 at each position -> 27/64.
  // Weighted by 2 and 4 of 6 examples: 1/2 · 1/3 + 27/64 · 2/3 = 43/96.
  const std::vector<Correct> c = {{true, true},        {true, false},       {true, true, true},
                                  {false, true, true}, {true, false, true}, {true, true, false}};
  EXPECT_DOUBLE_EQ(position_product(c), 43.0 / 96.0);
}

TEST(PositionProduct, BadInput) {
  EXPECT_NE(error_message([] { position_product({}); }).find("no examples"), std::string::npos);
  EXPECT_NE(error_message([] {
              position_product({{true}, {}});
            }).find("no target positions"),
            std::string::npos);
}

ExampleRecord answered(Tokens output) {
  ExampleRecord r;
  r.task = "add";
  r.prompt = {1};
  r.target = {5, 6, 0};
  r.output = std::move(output);
  return r;
}

TEST(PositionProduct, ARowOfTheTaskSummaryAfterTheGenerationRows) {
  // Positions right: 3/4, 2/4 and 3/4 -> 9/32 (exact match: 1/4).
  const std::vector<ExampleRecord> records = {answered({5, 6, 0}), answered({5, 7, 0}),
                                              answered({9, 6, 0}), answered({5, 7})};
  const TaskSummary s = summarise_task(records);
  const MetricSummary& product = s.metric("position_product");
  EXPECT_DOUBLE_EQ(product.estimate.mean, 9.0 / 32.0);
  EXPECT_DOUBLE_EQ(s.metric("exact_match").estimate.mean, 0.25);
  EXPECT_EQ(product.estimate.n, 4u);
  EXPECT_LE(product.estimate.lower, 9.0 / 32.0);
  EXPECT_GE(product.estimate.upper, 9.0 / 32.0);
  EXPECT_GT(product.estimate.standard_error, 0);
  EXPECT_TRUE(product.continuous);
  EXPECT_EQ(s.metrics[3].name, "position_product");  // exact match, accuracy, edit distance first

  const std::vector<std::string> names = metric_names();
  const auto at = std::find(names.begin(), names.end(), "position_product");
  ASSERT_NE(at, names.end());
  EXPECT_EQ(*(at - 1), "token_edit_distance");
}

TEST(PositionProduct, NoRowWithoutGeneration) {
  ExampleRecord r;
  r.task = "mc";
  r.choice_logprobs = {std::log(0.7), std::log(0.3)};
  r.correct_choice = 0;
  const TaskSummary s = summarise_task({r});
  for (const MetricSummary& m : s.metrics) EXPECT_NE(m.name, "position_product");
}

}  // namespace
}  // namespace emlab::eval
