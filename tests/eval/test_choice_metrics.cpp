// Hand-computed multiple-choice grade, Brier score, correct-choice probability and chance
// normalisation, including ties and bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "eval/choice_metrics.hpp"
#include "support/error_message.hpp"

namespace emlab::eval {
namespace {

using emlab::testing::error_message;
constexpr double kInf = std::numeric_limits<double>::infinity();

std::vector<double> logs(std::vector<double> p) {
  for (double& v : p) v = std::log(v);
  return p;
}

TEST(ChoiceProbabilities, SoftmaxOverChoices) {
  const auto q = choice_probabilities({0.0, 0.0, std::log(2.0)});  // unnormalised: 1 : 1 : 2
  EXPECT_NEAR(q[0], 0.25, 1e-15);
  EXPECT_NEAR(q[1], 0.25, 1e-15);
  EXPECT_NEAR(q[2], 0.5, 1e-15);
  // Log-probabilities of long choices are far below 0; the result must stay finite.
  const auto far = choice_probabilities({-1000.0, -1000.0 - std::log(3.0)});
  EXPECT_NEAR(far[0], 0.75, 1e-12);
  EXPECT_NEAR(far[1], 0.25, 1e-12);
  const auto hard = choice_probabilities({0.0, -kInf});
  EXPECT_EQ(hard[0], 1.0);
  EXPECT_EQ(hard[1], 0.0);
}

TEST(MultipleChoice, GradeBrierAndProbabilityByHand) {
  const auto l = logs({0.5, 0.3, 0.2});
  EXPECT_DOUBLE_EQ(multiple_choice_grade(l, 0), 1.0);
  EXPECT_DOUBLE_EQ(multiple_choice_grade(l, 2), 0.0);
  // (0.5 − 1)² + 0.3² + 0.2² = 0.25 + 0.09 + 0.04
  EXPECT_NEAR(brier_score(l, 0), 0.38, 1e-12);
  // 0.5² + 0.3² + (0.2 − 1)² = 0.25 + 0.09 + 0.64
  EXPECT_NEAR(brier_score(l, 2), 0.98, 1e-12);
  EXPECT_NEAR(correct_choice_probability(l, 1), 0.3, 1e-12);
  // Certain and right: Brier 0; certain and wrong: Brier 2 (its maximum).
  EXPECT_DOUBLE_EQ(brier_score({0.0, -kInf}, 0), 0.0);
  EXPECT_DOUBLE_EQ(brier_score({0.0, -kInf}, 1), 2.0);
}

TEST(MultipleChoice, TiesShareTheGrade) {
  // Correct choice tied with one other at the top: 1/2.
  EXPECT_DOUBLE_EQ(multiple_choice_grade({-1.0, -1.0, -3.0}, 0), 0.5);
  EXPECT_DOUBLE_EQ(multiple_choice_grade({-1.0, -1.0, -3.0}, 1), 0.5);
  // A tie that does not include the correct choice is simply wrong.
  EXPECT_DOUBLE_EQ(multiple_choice_grade({-1.0, -1.0, -3.0}, 2), 0.0);
  // All four equal: each scores 1/4, the chance level, and the Brier score is the uniform one.
  const std::vector<double> flat = {-2.0, -2.0, -2.0, -2.0};
  for (size_t c = 0; c < 4; ++c) {
    EXPECT_DOUBLE_EQ(multiple_choice_grade(flat, c), 0.25);
    EXPECT_NEAR(brier_score(flat, c), uniform_brier(4), 1e-15);
  }
  // Ties are exact: a hair's difference decides.
  EXPECT_DOUBLE_EQ(multiple_choice_grade({-1.0, std::nextafter(-1.0, 0.0)}, 1), 1.0);
}

TEST(ChanceNormalisation, HandValuesAndFlags) {
  EXPECT_DOUBLE_EQ(uniform_brier(2), 0.5);
  EXPECT_DOUBLE_EQ(uniform_brier(4), 0.75);
  EXPECT_DOUBLE_EQ(chance_normalised(0.625, 0.25), 0.5);
  EXPECT_DOUBLE_EQ(chance_normalised(0.25, 0.25), 0.0);
  EXPECT_DOUBLE_EQ(chance_normalised(0.0, 0.25), -1.0 / 3.0);
  // Brier: best 0, chance 0.75 -> skill 1 − b/0.75.
  EXPECT_DOUBLE_EQ(chance_normalised(0.375, 0.75, 0.0), 0.5);
  EXPECT_DOUBLE_EQ(chance_normalised(0.0, 0.75, 0.0), 1.0);
  EXPECT_LT(chance_normalised(0.9, 0.75, 0.0), 0.0);
  EXPECT_TRUE(worse_than_chance(0.8, uniform_brier(4), /*higher_is_better=*/false));
  EXPECT_FALSE(worse_than_chance(0.75, uniform_brier(4), false));  // at chance: not flagged
  EXPECT_FALSE(worse_than_chance(0.6, uniform_brier(4), false));
  EXPECT_TRUE(worse_than_chance(0.2, 0.25, true));
  EXPECT_FALSE(worse_than_chance(0.3, 0.25, true));
  EXPECT_NE(error_message([] { chance_normalised(1.0, 1.0); }).find("chance level"),
            std::string::npos);
}

TEST(MultipleChoice, BadInputNamesTheProblem) {
  EXPECT_NE(error_message([] { multiple_choice_grade({}, 0); }).find("choice_logprobs is empty"),
            std::string::npos);
  EXPECT_NE(error_message([] { brier_score({}, 0); }).find("choice_logprobs is empty"),
            std::string::npos);
  EXPECT_NE(error_message([] {
              brier_score({-1.0, -2.0, -3.0}, 3);
            }).find("out of range"),
            std::string::npos);
  EXPECT_NE(error_message([] {
              multiple_choice_grade({-1.0, -2.0}, 5);
            }).find("out of range"),
            std::string::npos);
  EXPECT_NE(error_message([] {
              choice_probabilities({-1.0, std::nan("")});
            }).find("choice_logprobs[1]"),
            std::string::npos);
  EXPECT_THROW(choice_probabilities({kInf, 0.0}), Error);
  EXPECT_NE(error_message([] {
              choice_probabilities({-kInf, -kInf});
            }).find("-inf"),
            std::string::npos);
}

}  // namespace
}  // namespace emlab::eval
