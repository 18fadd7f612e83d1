// The light solver of the bootstrap refits reaches the least squares Ceres reaches (fit_sigmoid
// without resamples, 20 starts), or lower, from a start near it: inside the box, with the ceiling
// on its bound, with a held floor, and when it starts on a bound that the data pull it away from.
#include "analysis/sigmoid_refit.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <random>
#include <vector>

#include "analysis/sigmoid_fit.hpp"

namespace emlab::analysis {
namespace {

using Theta4 = std::array<double, 4>;

struct Data {
  std::vector<double> x, y;
};

Data noisy_sigmoid(const SigmoidParams& truth, int n, double noise, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> eps(0.0, noise);
  Data d;
  for (int i = 0; i < n; ++i) {
    const double x = -2.0 + 4.0 * i / (n - 1);
    d.x.push_back(x);
    d.y.push_back(truth.at(x) + eps(rng));
  }
  return d;
}

double rss(const Data& d, const Theta4& t) {
  const SigmoidParams p{t[0], t[1], t[2], t[3]};
  double s = 0;
  for (size_t i = 0; i < d.x.size(); ++i) s += (p.at(d.x[i]) - d.y[i]) * (p.at(d.x[i]) - d.y[i]);
  return s;
}

SigmoidPoints unweighted(const Data& d) {
  return {d.x, d.y, std::vector<double>(d.x.size(), 1.0)};
}

// Ceres's fit as the reference, the light solver from a start moved off it.
void expect_same_minimum(const Data& d, const SigmoidOptions& options, const Theta4& offset) {
  const SigmoidFit reference = fit_sigmoid(d.x, d.y, options);
  const SigmoidParams& p = reference.params;
  SigmoidBox box;
  box.fixed = {options.fix_floor, options.fix_ceiling, false, false};
  Theta4 start = {p.floor + offset[0], p.ceiling + offset[1], p.midpoint + offset[2],
                  p.slope * (1 + offset[3])};
  for (size_t k : {0u, 1u})
    if (box.fixed[k]) start[k] = k == 0 ? p.floor : p.ceiling;
  const auto light = refit_sigmoid_light(unweighted(d), start, box);
  ASSERT_TRUE(light.has_value());
  const Theta4 ceres = {p.floor, p.ceiling, p.midpoint, p.slope};
  EXPECT_LE(rss(d, *light), rss(d, ceres) * (1 + 1e-7) + 1e-14);
  EXPECT_GE((*light)[0], box.lower);
  EXPECT_LE((*light)[1], box.upper);
  // On a bound Ceres's projected steps stop slightly short of the bounded minimum (SciPy's
  // least_squares agrees with the lower least squares, docs/analysis.md), so there only the least
  // squares are compared.
  const bool interior = p.floor > box.lower + 1e-6 && p.ceiling < box.upper - 1e-6;
  if (!interior) return;
  for (size_t k = 0; k < 4; ++k)
    EXPECT_NEAR((*light)[k], ceres[k], 1e-4 * (1 + std::abs(ceres[k]))) << "parameter " << k;
}

TEST(SigmoidRefit, ReachesCeresMinimumInsideTheBox) {
  for (unsigned seed = 1; seed <= 5; ++seed) {
    const Data d = noisy_sigmoid({0.1, 0.8, 0.3, 3.0}, 25, 0.03, seed);
    expect_same_minimum(d, SigmoidOptions{}, {0.05, -0.05, 0.2, 0.3});
  }
}

TEST(SigmoidRefit, HoldsTheCeilingOnItsBoundWhenTheDataPassIt) {
  // A rise to 1.05 with noise: the best ceiling in [0, 1] is the bound itself.
  for (unsigned seed = 1; seed <= 5; ++seed) {
    const Data d = noisy_sigmoid({0.0, 1.05, 0.0, 4.0}, 25, 0.02, seed);
    const SigmoidFit reference = fit_sigmoid(d.x, d.y, SigmoidOptions{});
    ASSERT_GT(reference.params.ceiling, 1 - 1e-6);
    expect_same_minimum(d, SigmoidOptions{}, {0.02, -0.1, -0.3, -0.2});
    SigmoidBox box;
    const auto light = refit_sigmoid_light(unweighted(d), {0.0, 0.9, 0.0, 3.0}, box);
    ASSERT_TRUE(light.has_value());
    EXPECT_EQ((*light)[1], 1.0);
  }
}

TEST(SigmoidRefit, KeepsAFixedFloor) {
  SigmoidOptions options;
  options.fix_floor = true;
  options.floor = 0.25;
  const Data d = noisy_sigmoid({0.25, 0.9, 0.5, 2.5}, 20, 0.03, 7);
  expect_same_minimum(d, options, {0.0, -0.1, 0.3, 0.5});
  SigmoidBox box;
  box.fixed = {true, false, false, false};
  const auto light = refit_sigmoid_light(unweighted(d), {0.25, 0.7, 0.0, 1.0}, box);
  ASSERT_TRUE(light.has_value());
  EXPECT_EQ((*light)[0], 0.25);
}

TEST(SigmoidRefit, LeavesABoundTheDataPullItAwayFrom) {
  // Started with the ceiling on 1 (a full fit's bound) on data that level off at 0.7.
  const Data d = noisy_sigmoid({0.1, 0.7, 0.0, 3.0}, 25, 0.02, 3);
  SigmoidBox box;
  const auto light = refit_sigmoid_light(unweighted(d), {0.1, 1.0, 0.0, 3.0}, box);
  ASSERT_TRUE(light.has_value());
  EXPECT_LT((*light)[1], 0.8);
  expect_same_minimum(d, SigmoidOptions{}, {0.0, 0.3, 0.0, 0.0});
}

TEST(SigmoidRefit, WeightsActAsRepeatedPoints) {
  // A bootstrap resample's weight of 2 (scale √2) is the point counted twice.
  const Data d = noisy_sigmoid({0.1, 0.8, 0.0, 3.0}, 12, 0.04, 11);
  SigmoidPoints weighted = unweighted(d);
  Data repeated = d;
  weighted.scale[4] = std::sqrt(2.0);
  repeated.x.push_back(d.x[4]);
  repeated.y.push_back(d.y[4]);
  const Theta4 start = {0.1, 0.8, 0.1, 2.0};
  const auto a = refit_sigmoid_light(weighted, start, SigmoidBox{});
  const auto b = refit_sigmoid_light(unweighted(repeated), start, SigmoidBox{});
  ASSERT_TRUE(a && b);
  for (size_t k = 0; k < 4; ++k) EXPECT_NEAR((*a)[k], (*b)[k], 1e-8);
}

}  // namespace
}  // namespace emlab::analysis
