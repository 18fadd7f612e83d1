// Mean, standard error and seeded percentile-bootstrap interval.
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "eval/bootstrap.hpp"
#include "support/error_message.hpp"

namespace emlab::eval {
namespace {

using emlab::testing::error_message;

TEST(SortedPercentile, LinearInterpolation) {
  const std::vector<double> v = {1, 2, 3, 4};
  EXPECT_DOUBLE_EQ(sorted_percentile(v, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(sorted_percentile(v, 1.0), 4.0);
  EXPECT_DOUBLE_EQ(sorted_percentile(v, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(sorted_percentile(v, 0.25), 1.75);  // position 0.75
  EXPECT_DOUBLE_EQ(sorted_percentile({5}, 0.3), 5.0);
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(sorted_percentile({-inf, -inf, 0}, 0.25), -inf);  // not NaN
}

TEST(BootstrapMean, MeanAndStandardErrorByHand) {
  // {1, 0, 1, 1}: mean 0.75, sample variance (3·0.0625 + 0.5625)/3 = 0.25, SE = 0.5/2.
  const auto e = bootstrap_mean({1, 0, 1, 1}, {});
  EXPECT_DOUBLE_EQ(e.mean, 0.75);
  EXPECT_DOUBLE_EQ(e.standard_error, 0.25);
  EXPECT_EQ(e.n, 4u);
  EXPECT_DOUBLE_EQ(e.resolution(), 0.25);
  EXPECT_LE(e.lower, e.mean);
  EXPECT_GE(e.upper, e.mean);
  EXPECT_GE(e.lower, 0.0);  // a mean of 0/1 values resamples inside [0, 1]
  EXPECT_LE(e.upper, 1.0);
}

TEST(BootstrapMean, DegenerateSets) {
  const auto single = bootstrap_mean({0.3}, {});
  EXPECT_DOUBLE_EQ(single.mean, 0.3);
  EXPECT_DOUBLE_EQ(single.lower, 0.3);
  EXPECT_DOUBLE_EQ(single.upper, 0.3);
  EXPECT_TRUE(std::isnan(single.standard_error));
  EXPECT_DOUBLE_EQ(single.resolution(), 1.0);
  for (double v : {0.0, 1.0}) {  // all wrong, all right
    const auto e = bootstrap_mean(std::vector<double>(50, v), {});
    EXPECT_DOUBLE_EQ(e.mean, v);
    EXPECT_DOUBLE_EQ(e.lower, v);
    EXPECT_DOUBLE_EQ(e.upper, v);
    EXPECT_DOUBLE_EQ(e.standard_error, 0.0);
  }
}

TEST(BootstrapMean, DeterministicForASeedAndContainsTheMean) {
  Rng rng(3);
  std::vector<double> values(300);
  for (double& v : values) v = rng.normal();
  const BootstrapOptions options{.seed = 11, .resamples = 2000, .level = 0.95};
  const auto a = bootstrap_mean(values, options);
  const auto b = bootstrap_mean(values, options);
  EXPECT_EQ(a.lower, b.lower);  // bit for bit
  EXPECT_EQ(a.upper, b.upper);
  EXPECT_LT(a.lower, a.mean);
  EXPECT_GT(a.upper, a.mean);
  // The percentile interval is close to mean ± 1.96·SE for a near-normal mean.
  EXPECT_NEAR(a.upper - a.lower, 2 * 1.96 * a.standard_error, 0.15 * a.standard_error * 4);
  const auto other = bootstrap_mean(values, {.seed = 12, .resamples = 2000, .level = 0.95});
  EXPECT_NE(other.lower, a.lower);
  const auto narrow = bootstrap_mean(values, {.seed = 11, .resamples = 2000, .level = 0.5});
  EXPECT_GT(narrow.lower, a.lower);
  EXPECT_LT(narrow.upper, a.upper);
}

TEST(BootstrapMean, SameSeedResamplesTheSameExamples) {
  // y = 2x + 1 on the same examples: a paired bootstrap maps x's interval exactly onto y's.
  Rng rng(5);
  std::vector<double> x(40), y(40);
  for (size_t i = 0; i < x.size(); ++i) {
    x[i] = rng.uniform();
    y[i] = 2 * x[i] + 1;
  }
  const auto ex = bootstrap_mean(x, {.seed = 9});
  const auto ey = bootstrap_mean(y, {.seed = 9});
  EXPECT_NEAR(ey.lower, 2 * ex.lower + 1, 1e-12);
  EXPECT_NEAR(ey.upper, 2 * ex.upper + 1, 1e-12);
}

TEST(BootstrapMean, BadInput) {
  EXPECT_NE(error_message([] { bootstrap_mean({}, {}); }).find("no values"), std::string::npos);
  EXPECT_NE(error_message([] { bootstrap_mean({1.0}, {.level = 1.0}); }).find("level"),
            std::string::npos);
  EXPECT_NE(error_message([] { bootstrap_mean({1.0}, {.resamples = 0}); }).find("resamples"),
            std::string::npos);
}

TEST(BootstrapStatistic, TheMeanAsAStatisticIsBootstrapMeanOnTheSameExamples) {
  Rng rng(3);
  std::vector<double> x(30);
  for (double& v : x) v = rng.uniform();
  const auto mean_of = [&x](const std::vector<size_t>& indices) {
    double sum = 0;
    for (size_t i : indices) sum += x[i];
    return sum / double(indices.size());
  };
  const auto as_mean = bootstrap_mean(x, {.seed = 4});
  const auto as_statistic = bootstrap_statistic(x.size(), mean_of, {.seed = 4});
  EXPECT_NEAR(as_statistic.mean, as_mean.mean, 1e-12);
  EXPECT_NEAR(as_statistic.lower, as_mean.lower, 1e-12);  // the same resampled indices
  EXPECT_NEAR(as_statistic.upper, as_mean.upper, 1e-12);
  // The resamples' spread estimates the analytic standard error (30 draws: within 15%).
  EXPECT_NEAR(as_statistic.standard_error, as_mean.standard_error, 0.15 * as_mean.standard_error);
  EXPECT_EQ(as_statistic.n, 30u);
}

TEST(BootstrapStatistic, OneExampleHasNoStandardError) {
  const auto e = bootstrap_statistic(1, [](const std::vector<size_t>&) { return 0.5; }, {});
  EXPECT_EQ(e.mean, 0.5);
  EXPECT_TRUE(std::isnan(e.standard_error));
  EXPECT_NE(error_message([] {
              bootstrap_statistic(0, [](const auto&) { return 0.0; }, {});
            }).find("no values"),
            std::string::npos);
}

}  // namespace
}  // namespace emlab::eval
