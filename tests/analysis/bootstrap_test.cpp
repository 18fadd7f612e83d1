// Bootstrap percentiles against NumPy's default (linear) interpolation.
#include "analysis/bootstrap.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace emlab::analysis {
namespace {

// NumPy: np.percentile([1, 2, 3, 4], [2.5, 97.5]) = [1.075, 3.925]; a NaN refit among them is
// dropped instead of breaking the sort, and only NaN gives NaN.
TEST(Percentile, InterpolatesAndDropsRefitsThatGaveNaN) {
  EXPECT_NEAR(percentile({4, 1, 3, 2}, 0.025), 1.075, 1e-12);
  const Interval with_nan = percentile_interval({4, NAN, 1, 3, NAN, 2}, 0.95);
  EXPECT_NEAR(with_nan.lower, 1.075, 1e-12);
  EXPECT_NEAR(with_nan.upper, 3.925, 1e-12);
  EXPECT_TRUE(std::isnan(percentile({NAN, NAN}, 0.5)));
  EXPECT_EQ(percentile({1, INFINITY}, 1.0), INFINITY);
}

}  // namespace
}  // namespace emlab::analysis
