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

}  // namespace
}  // namespace emlab::analysis
