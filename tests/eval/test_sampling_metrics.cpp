// pass@k against brute-force enumeration, PassUntil by hand and on a Bernoulli source of known p,
// and the majority vote with its tie rule.
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "eval/sampling_metrics.hpp"
#include "support/error_message.hpp"

namespace emlab::eval {
namespace {

using emlab::testing::error_message;

TEST(PassAtK, HandValues) {
  EXPECT_DOUBLE_EQ(pass_at_k(5, 0, 1), 0.0);
  EXPECT_DOUBLE_EQ(pass_at_k(5, 5, 3), 1.0);
  EXPECT_NEAR(pass_at_k(5, 2, 1), 0.4, 1e-15);               // pass@1 = c/n
  EXPECT_NEAR(pass_at_k(5, 2, 2), 1.0 - 3.0 / 10.0, 1e-15);  // 1 − C(3,2)/C(5,2)
  EXPECT_DOUBLE_EQ(pass_at_k(4, 1, 4), 1.0);  // k = n: any pass is in the only subset
  EXPECT_DOUBLE_EQ(pass_at_k(1, 0, 1), 0.0);
  EXPECT_DOUBLE_EQ(pass_at_k(1, 1, 1), 1.0);
  // Large n: C(200, 100) overflows a double's exponent range only when formed; the product is fine.
  EXPECT_NEAR(pass_at_k(200, 1, 100), 0.5, 1e-12);
}

// Fraction of the k-subsets of n samples (the first c of which pass) that hold at least one pass.
double pass_at_k_brute_force(unsigned n, unsigned c, unsigned k) {
  const uint32_t passing = (1u << c) - 1u;
  size_t subsets = 0, hits = 0;
  for (uint32_t mask = 0; mask < (1u << n); ++mask) {
    if (static_cast<unsigned>(std::popcount(mask)) != k) continue;
    ++subsets;
    hits += (mask & passing) != 0 ? 1 : 0;
  }
  return static_cast<double>(hits) / static_cast<double>(subsets);
}

TEST(PassAtK, MatchesEnumerationOverSubsets) {
  for (unsigned n = 1; n <= 10; ++n)
    for (unsigned c = 0; c <= n; ++c)
      for (unsigned k = 1; k <= n; ++k)
        EXPECT_NEAR(pass_at_k(n, c, k), pass_at_k_brute_force(n, c, k), 1e-13)
            << "n=" << n << " c=" << c << " k=" << k;
}

TEST(PassAtK, BadInput) {
  EXPECT_NE(error_message([] { pass_at_k(3, 1, 4); }).find("k = 4 exceeds"), std::string::npos);
  EXPECT_NE(error_message([] { pass_at_k(3, 1, 0); }).find("k must be at least 1"),
            std::string::npos);
  EXPECT_NE(error_message([] { pass_at_k(3, 4, 1); }).find("c = 4"), std::string::npos);
}

TEST(PassUntil, FromARecordedSequence) {
  const std::vector<bool> outcomes = {false, false, true, false, true, true};
  const auto r1 = pass_until(outcomes, 1);  // first pass at draw 3
  EXPECT_EQ(r1.draws, 3u);
  EXPECT_FALSE(r1.censored);
  EXPECT_DOUBLE_EQ(r1.estimate, 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(r1.unbiased, 1.0 / 3.0);  // r = 1 has no (r−1)/(K−1) form
  const auto r2 = pass_until(outcomes, 2);   // second pass at draw 5; draw 6 is ignored
  EXPECT_EQ(r2.draws, 5u);
  EXPECT_EQ(r2.passes, 2u);
  EXPECT_DOUBLE_EQ(r2.estimate, 0.4);
  EXPECT_DOUBLE_EQ(r2.unbiased, 0.25);      // (2 − 1)/(5 − 1)
  const auto r4 = pass_until(outcomes, 4);  // only 3 passes in 6 draws: the cap is hit
  EXPECT_TRUE(r4.censored);
  EXPECT_EQ(r4.passes, 3u);
  EXPECT_EQ(r4.draws, 6u);
  EXPECT_DOUBLE_EQ(r4.estimate, 0.5);
  EXPECT_DOUBLE_EQ(r4.unbiased, 0.5);
  const auto none = pass_until(std::vector<bool>(4, false), 1);
  EXPECT_TRUE(none.censored);
  EXPECT_DOUBLE_EQ(none.estimate, 0.0);
  const auto first = pass_until(std::vector<bool>{true}, 1);
  EXPECT_DOUBLE_EQ(first.estimate, 1.0);
  EXPECT_THROW(pass_until(std::vector<bool>{}, 1), Error);
  EXPECT_NE(error_message([] { pass_until(std::vector<bool>{true}, 0); }).find("r must be"),
            std::string::npos);
}

TEST(PassUntil, RecoversAKnownPassRateFromABernoulliSource) {
  const double p = 0.01;
  Rng rng(7);
  auto draw = [&] { return rng.uniform() < static_cast<float>(p); };
  // 100 instances with r = 50: each takes about 5,000 draws.
  double sum_pu = 0, sum_unbiased = 0;
  const int instances = 100;
  for (int i = 0; i < instances; ++i) {
    const auto result = pass_until(draw, 50, 1'000'000);
    ASSERT_FALSE(result.censored);
    sum_pu += result.estimate;
    sum_unbiased += result.unbiased;
  }
  // sd of one estimate ≈ p/√r, so of the mean ≈ 0.0014·p: the tolerances are several sd wide,
  // and r/K sits about r/(r−1) − 1 = 2% high.
  EXPECT_NEAR(sum_unbiased / instances, p, 0.05 * p);
  EXPECT_NEAR(sum_pu / instances, p, 0.08 * p);
  EXPECT_GT(sum_pu, sum_unbiased);

  // A rate far below 1/K_max: the cap is hit and reported as censored.
  Rng rare_rng(8);
  const auto rare = pass_until([&] { return rare_rng.uniform() < 1e-6f; }, 1, 1000);
  EXPECT_TRUE(rare.censored);
  EXPECT_EQ(rare.draws, 1000u);
  EXPECT_DOUBLE_EQ(rare.estimate, 0.0);
}

std::vector<Sample> samples_of(const std::vector<std::pair<Tokens, bool>>& list) {
  std::vector<Sample> s;
  for (const auto& [tokens, passed] : list) s.push_back({tokens, passed});
  return s;
}

TEST(MajorityVote, MostFrequentAnswerWins) {
  const auto v = majority_vote(samples_of({{{1}, false}, {{2}, true}, {{2}, true}, {{3}, false}}));
  EXPECT_EQ(v.answer, Tokens{2});
  EXPECT_EQ(v.votes, 2u);
  EXPECT_EQ(v.distinct, 3u);
  EXPECT_EQ(v.tied, 1u);
  EXPECT_TRUE(v.passed);
  const auto single = majority_vote(samples_of({{{4, 5}, false}}));
  EXPECT_EQ(single.answer, (Tokens{4, 5}));
  EXPECT_FALSE(single.passed);
  // The empty answer is an answer like any other.
  const auto empty = majority_vote(samples_of({{{}, false}, {{}, false}, {{1}, true}}));
  EXPECT_TRUE(empty.answer.empty());
  EXPECT_FALSE(empty.passed);
}

TEST(MajorityVote, TiesGoToTheAnswerSampledFirst) {
  // [9] appears first, [1] is smaller: order of first appearance decides, not token order.
  const auto a = majority_vote(samples_of({{{9}, false}, {{1}, true}, {{1}, true}, {{9}, false}}));
  EXPECT_EQ(a.answer, Tokens{9});
  EXPECT_EQ(a.tied, 2u);
  EXPECT_EQ(a.first_index, 0u);
  EXPECT_FALSE(a.passed);
  const auto b = majority_vote(samples_of({{{1}, true}, {{9}, false}, {{9}, false}, {{1}, true}}));
  EXPECT_EQ(b.answer, Tokens{1});
  EXPECT_TRUE(b.passed);
  const auto three = majority_vote(samples_of({{{3}, false}, {{2}, true}, {{1}, false}}));
  EXPECT_EQ(three.answer, Tokens{3});
  EXPECT_EQ(three.tied, 3u);
}

TEST(MajorityVote, WithASeparatorScratchpadsVoteByTheirFinalAnswer) {
  // 21 ends a scratchpad, 2 is <eos>. Three chains, two of them different, reach answer 9; two
  // samples reach 8 by one chain; one writes no answer. Whole outputs would elect 8 (2 votes to
  // 1 each); final answers elect 9 with 3 votes.
  const auto samples = samples_of({{{5, 21, 8, 2}, false},
                                   {{6, 21, 9, 2}, true},
                                   {{5, 21, 8, 2}, false},
                                   {{7, 21, 9, 2}, true},
                                   {{5, 5, 5}, false},
                                   {{8, 21, 9}, true}});
  const auto by_output = majority_vote(samples);
  EXPECT_EQ(by_output.answer, (Tokens{5, 21, 8, 2}));
  EXPECT_FALSE(by_output.passed);
  const auto by_answer = majority_vote(samples, 21);
  EXPECT_EQ(by_answer.answer, Tokens{9});
  EXPECT_EQ(by_answer.votes, 3u);
  EXPECT_EQ(by_answer.distinct, 2u);
  EXPECT_EQ(by_answer.abstained, 1u);
  EXPECT_EQ(by_answer.first_index, 1u);
  EXPECT_TRUE(by_answer.passed);
  // No sample wrote an answer: no vote, and the vote fails.
  const auto none = majority_vote(samples_of({{{5, 5}, false}, {{6, 2}, false}}), 21);
  EXPECT_EQ(none.votes, 0u);
  EXPECT_EQ(none.abstained, 2u);
  EXPECT_FALSE(none.passed);
}

TEST(MajorityVote, BadInput) {
  EXPECT_THROW(majority_vote({}), Error);
  EXPECT_NE(error_message([] {
              majority_vote(samples_of({{{1}, true}, {{2}, false}, {{1}, false}}));
            }).find("samples[0] and samples[2]"),
            std::string::npos);
}

}  // namespace
}  // namespace emlab::eval
