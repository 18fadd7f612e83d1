// Phase-change measures on series with known answers: a sigmoid in log step, a step function, a
// falling loss; loss shapes before a change: a plateau, a bump, and a power law that is neither.
#include "analysis/phase_change.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/error.hpp"

namespace emlab::analysis {
namespace {

// n points log-spaced from `first` to `last`, valued by f.
template <typename F>
std::vector<SeriesPoint> log_grid(double first, double last, int n, F f) {
  std::vector<SeriesPoint> s;
  for (int i = 0; i < n; ++i) {
    const double step = first * std::pow(last / first, double(i) / (n - 1));
    s.push_back({step, f(step)});
  }
  return s;
}

TEST(PhaseChange, ASigmoidInLogStepHasItsCentreAndWidth) {
  // v = 1 / (1 + exp(-4 (ln s - ln 1000))): 10% at 1000·9^(-1/4), 90% at 1000·9^(1/4).
  const auto s = log_grid(10, 1e5, 121, [](double x) {
    return 0.1 + 0.8 / (1 + std::exp(-4 * (std::log(x) - std::log(1000.0))));
  });
  const PhaseChange p = find_phase_change(s);
  EXPECT_NEAR(p.steepest_step / 1000, 1.0, 0.04);  // within half a grid interval (1.08x)
  // The 10%/90% levels are of the series' own start and end (the sigmoid's tails are not quite 0
  // and 1 at 10 and 1e5, about 1e-4 off).
  EXPECT_NEAR(p.step_10, 1000 * std::pow(9.0, -0.25), 6);
  EXPECT_NEAR(p.step_90, 1000 * std::pow(9.0, 0.25), 15);
  EXPECT_NEAR(p.width, (std::pow(9.0, 0.25) - std::pow(9.0, -0.25)), 0.05);
  EXPECT_NEAR(p.total_change, 0.8, 1e-3);
}

TEST(PhaseChange, AStepFunctionChangesWithinOneIntervalAndHasAlmostNoWidth) {
  const auto s = log_grid(10, 1e5, 41, [](double x) { return x < 300 ? 0.05 : 0.9; });
  const PhaseChange p = find_phase_change(s);
  // The jump lies between the grid points around 300; the steepest step is their middle.
  double before = 0, after = 0;
  for (const auto& q : s)
    if (q.step < 300)
      before = q.step;
    else if (after == 0)
      after = q.step;
  EXPECT_DOUBLE_EQ(p.steepest_step, std::sqrt(before * after));
  EXPECT_GT(p.step_10, before);
  EXPECT_LT(p.step_90, after);
  EXPECT_LT(p.width, (after - before) / p.steepest_step);
  EXPECT_LT(p.width, 0.3);
}

// What induction heads did in the small runs: a jump within one interval, then slow sharpening to
// the end. Computed by hand (log-step interpolation between steps twice apart): the whole rise's
// 10% and 90% points are 200·2^(0.085/0.55) and 800·2^(0.065/0.15), a width of 3.0323; the rise
// up to twice the steepest step (2·√(200·400), where the series is 0.675) has its 10% and 90%
// points at 200·2^(0.0625/0.55) and 400·2^(0.0125/0.15), a jump width of 0.73325.
TEST(PhaseChange, AJumpThenASlowTailHasANarrowJumpWidth) {
  const std::vector<SeriesPoint> s = {
      {100, 0.05}, {200, 0.05}, {400, 0.6}, {800, 0.75}, {1600, 0.9}};
  const PhaseChange p = find_phase_change(s);
  EXPECT_NEAR(p.steepest_step, 282.8427, 1e-3);
  EXPECT_NEAR(p.width, 3.03231, 1e-4);
  EXPECT_NEAR(p.jump_end_step, 565.6854, 1e-3);
  EXPECT_NEAR(p.jump_width, 0.733252, 1e-5);
  EXPECT_DOUBLE_EQ(p.peak_value, 0.9);
  // A jump that ends the series: the jump is the whole rise.
  const PhaseChange end = find_phase_change({{100, 0.1}, {200, 0.1}, {400, 0.1}, {800, 0.9}});
  EXPECT_DOUBLE_EQ(end.jump_end_step, 800);
  EXPECT_DOUBLE_EQ(end.jump_width, end.width);
}

TEST(PhaseChange, AFallingSeriesIsReadTheSameWay) {
  const auto s = log_grid(1, 1e4, 81, [](double x) {
    return 4.0 - 2.0 / (1 + std::exp(-6 * (std::log(x) - std::log(200.0))));
  });
  const PhaseChange p = find_phase_change(s);
  EXPECT_NEAR(p.steepest_step / 200, 1.0, 0.07);
  EXPECT_LT(p.total_change, 0);
  EXPECT_LT(p.step_10, p.step_90);
}

TEST(PhaseChange, BadSeriesFailClearly) {
  EXPECT_THROW(find_phase_change({{1, 0}, {2, 1}}), Error);
  EXPECT_THROW(find_phase_change({{1, 0}, {3, 1}, {2, 2}}), Error);
  EXPECT_THROW(find_phase_change({{0, 0}, {3, 1}, {4, 2}}), Error);
  EXPECT_THROW(find_phase_change({{1, 0.5}, {2, 0.7}, {4, 0.5}}), Error);  // ends where it starts
}

TEST(LossBefore, APlateauThenADrop) {
  // Flat at 3 until step 1000, then down to 1 by step 4000.
  const auto loss = log_grid(1, 1e4, 121, [](double x) {
    return x < 1000 ? 3.0 : std::max(1.0, 3.0 - 2.0 * std::log(x / 1000) / std::log(4.0));
  });
  const PrecursorShape r = loss_before(loss, 1000);
  EXPECT_TRUE(r.plateau);
  EXPECT_FALSE(r.bump);
  EXPECT_NEAR(r.fall_before, 0.0, 1e-12);
  EXPECT_NEAR(r.fall_after, 1.0, 0.02);  // 3 - 2·ln 2 / ln 4 at step 2000
}

TEST(LossBefore, ABumpJustBeforeTheChange) {
  // Falling, then rising by 0.2 between steps 600 and 900, then falling fast.
  const auto loss = log_grid(1, 1e4, 161, [](double x) {
    const double base = 2.0 + 1.0 / std::sqrt(x);
    const double bump = (x > 600 && x < 1000) ? 0.2 * std::sin(M_PI * (x - 600) / 400) : 0.0;
    return base + bump - (x > 1000 ? 1.0 * std::log(x / 1000) / std::log(10.0) : 0.0);
  });
  const PrecursorShape r = loss_before(loss, 1000);
  EXPECT_TRUE(r.bump);
  EXPECT_NEAR(r.rise, 0.2, 0.02);
}

TEST(LossBefore, APowerLawIsNeither) {
  const auto loss = log_grid(1, 1e4, 121, [](double x) { return 1.0 + 10.0 / std::sqrt(x); });
  const PrecursorShape r = loss_before(loss, 1000);
  EXPECT_FALSE(r.bump);
  EXPECT_FALSE(r.plateau);
  EXPECT_NEAR(r.fall_before / r.fall_after, std::sqrt(2.0), 0.01);  // 2^a with a = 1/2
  EXPECT_THROW(loss_before(loss, 2e4), Error);                      // nothing after it
}

}  // namespace
}  // namespace emlab::analysis
