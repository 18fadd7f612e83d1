// Verdict rules: conditions parse or fail naming where; held, did not hold and inconclusive come
// out as the rule says, with the measured numbers put into each condition.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "study/verdict_rule.hpp"
#include "support/error_message.hpp"

namespace emlab::study {
namespace {

using ::testing::HasSubstr;

VerdictRule rule(std::vector<std::string> held, std::vector<std::string> inconclusive = {}) {
  VerdictRule r;
  r.words = "test rule";
  for (const auto& t : held) r.held_if.push_back(parse_condition(t, "test"));
  for (const auto& t : inconclusive) r.inconclusive_if.push_back(parse_condition(t, "test"));
  return r;
}

TEST(VerdictRule, ParsesNamesNumbersAndScaledNames) {
  const Condition c = parse_condition(" em_b >= 2 * cont_b ", "f.toml: verdict.held_if[0]");
  EXPECT_EQ(c.op, ">=");
  EXPECT_EQ(c.lhs.name, "em_b");
  EXPECT_EQ(c.lhs.factor, 1);
  EXPECT_EQ(c.rhs.name, "cont_b");
  EXPECT_EQ(c.rhs.factor, 2);
  const Condition d = parse_condition("sizes < 4", "w");
  EXPECT_EQ(d.op, "<");
  EXPECT_TRUE(d.rhs.name.empty());
  EXPECT_EQ(d.rhs.factor, 4);
  EXPECT_EQ(names_in(c), (std::vector<std::string>{"em_b", "cont_b"}));
  EXPECT_EQ(parse_condition("x <= -1.5e-3", "w").rhs.factor, -1.5e-3);
}

TEST(VerdictRule, RefusesWhatDoesNotParseNamingWhere) {
  const std::string where = "studies/x.toml: verdict.held_if[2]";
  EXPECT_THAT(testing::error_message([&] { parse_condition("a = 3", where); }),
              HasSubstr("studies/x.toml: verdict.held_if[2]: \"a = 3\": expected a comparison"));
  EXPECT_THAT(testing::error_message([&] { parse_condition("a < b < c", where); }),
              HasSubstr("one comparison per condition"));
  EXPECT_THAT(testing::error_message([&] { parse_condition("1 < 2", where); }),
              HasSubstr("compares two numbers"));
  EXPECT_THAT(testing::error_message([&] { parse_condition("a-b > 1", where); }),
              HasSubstr("expected a number or a measurement name, got \"a-b\""));
  EXPECT_THAT(testing::error_message([&] { parse_condition("x * a > 1", where); }),
              HasSubstr("expected NUMBER * measurement"));
}

TEST(VerdictRule, HeldOnlyWhenEveryConditionIsTrue) {
  Measurements m;
  m.add("a", 5, "");
  m.add("b", 2, "");
  const Verdict held = decide(rule({"a > 2 * b", "b >= 2"}), m);
  EXPECT_EQ(held.verdict, "held");
  ASSERT_EQ(held.held.size(), 2u);
  EXPECT_EQ(held.held[0].outcome, "true");
  EXPECT_EQ(held.held[0].values, "a (5) > 2 × b (4)");
  const Verdict not_held = decide(rule({"a > 2 * b", "b > 2"}), m);
  EXPECT_EQ(not_held.verdict, "did not hold");
  EXPECT_EQ(not_held.held[1].outcome, "false");
}

TEST(VerdictRule, InconclusiveWhenTooFewOrNotMeasured) {
  Measurements m;
  m.add("a", 5, "");
  m.add("sizes", 3, "");
  m.add("unmeasured", NAN, "");
  EXPECT_EQ(decide(rule({"a > 1"}, {"sizes < 4"}), m).verdict, "inconclusive");
  EXPECT_EQ(decide(rule({"a > 1"}, {"sizes < 3"}), m).verdict, "held");
  const Verdict v = decide(rule({"a > 1", "unmeasured < 2"}), m);
  EXPECT_EQ(v.verdict, "inconclusive");
  EXPECT_EQ(v.held[1].outcome, "not measured");
  EXPECT_EQ(v.held[1].values, "unmeasured (not measured) < 2");
  // A false condition never hides an unmeasured one: still inconclusive, not "did not hold".
  EXPECT_EQ(decide(rule({"a > 10", "unmeasured < 2"}), m).verdict, "inconclusive");
  // Infinity compares: a step's breakthroughness is +inf.
  Measurements step;
  step.add("b", INFINITY, "");
  EXPECT_EQ(decide(rule({"b >= 3"}), step).verdict, "held");
}

TEST(VerdictRule, ConditionsGoToJsonWithTheirOutcomes) {
  Measurements m;
  m.add("a", 1, "");
  const auto json = decide(rule({"a > 0"}, {"a > 5"}), m).conditions_json();
  EXPECT_EQ(json["held_if"][0]["outcome"], "true");
  EXPECT_EQ(json["inconclusive_if"][0]["outcome"], "false");
  EXPECT_EQ(json["held_if"][0]["condition"], "a > 0");
}

}  // namespace
}  // namespace emlab::study
