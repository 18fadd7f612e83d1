// The seeds' pooled spread, by hand.
#include "analysis/seed_spread.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace emlab::analysis {
namespace {

TEST(SeedSpread, PoolsTheCellsThatHaveTwoValues) {
  // {1, 3}: mean 2, squares 2, 1 degree of freedom; {2, 4, 6, NaN}: mean 4, squares 8, 2; {5}
  // alone adds nothing. Pooled variance 10/3; t(0.975, 3) = 3.182.
  const SeedSpread s = pooled_seed_spread({{1, 3}, {2, 4, 6, NAN}, {5}});
  EXPECT_EQ(s.dof, 3);
  EXPECT_NEAR(s.sd, std::sqrt(10.0 / 3.0), 1e-12);
  EXPECT_NEAR(s.half_width(), 3.182 * std::sqrt(10.0 / 3.0), 1e-9);
}

TEST(SeedSpread, OneSeedGivesNoSpread) {
  const SeedSpread s = pooled_seed_spread({{1}, {2}, {}});
  EXPECT_EQ(s.dof, 0);
  EXPECT_TRUE(std::isnan(s.sd));
  EXPECT_EQ(s.half_width(), 0.0);
}

// {1, 2, 3, NaN}: mean 2, sd 1, t(0.975, 2) = 4.303, so 2 ± 4.303 / √3 = 2 ± 2.484; one value
// (the rest NaN) has no interval.
TEST(SeedSpread, TheMeanOfSeedsHasATInterval) {
  const Interval i = seed_mean_interval({1, 2, 3, NAN});
  EXPECT_NEAR(i.lower, 2 - 4.303 / std::sqrt(3.0), 1e-3);
  EXPECT_NEAR(i.upper, 2 + 4.303 / std::sqrt(3.0), 1e-3);
  const Interval one = seed_mean_interval({0.5, NAN});
  EXPECT_TRUE(std::isnan(one.lower) && std::isnan(one.upper));
}

}  // namespace
}  // namespace emlab::analysis
