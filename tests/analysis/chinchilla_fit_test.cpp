#include "analysis/chinchilla_fit.hpp"

#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>

#include "analysis/compute_optimal.hpp"
#include "analysis/power_law_fit.hpp"
#include "core/error.hpp"
#include "core/timer.hpp"
#include "synthetic.hpp"

namespace emlab::analysis {
namespace {

using testing::published_chinchilla;
using testing::synthetic_chinchilla;

TEST(LseHuberObjective, GradientMatchesFiniteDifferences) {
  const auto s = synthetic_chinchilla(published_chinchilla(), 40, 0.02, 7);
  LseData data;
  data.terms = 2;
  for (size_t i = 0; i < s.loss.size(); ++i) {
    data.log_features.push_back(std::log(s.params[i]));
    data.log_features.push_back(std::log(s.tokens[i]));
    data.log_loss.push_back(std::log(s.loss[i]));
  }
  const std::vector<double> weights(s.loss.size(), 2.0);
  // Near the truth many residuals sit inside the quadratic zone and many outside: both branches.
  Theta theta = chinchilla_to_theta(published_chinchilla());
  theta[3] += 0.002;
  const double delta = 1e-2;
  std::vector<double> gradient(5);
  lse_huber_objective(data, weights, theta.data(), delta, gradient.data());
  for (size_t k = 0; k < 5; ++k) {
    const double h = 1e-6;
    Theta up = theta, down = theta;
    up[k] += h;
    down[k] -= h;
    const double numeric = (lse_huber_objective(data, weights, up.data(), delta, nullptr) -
                            lse_huber_objective(data, weights, down.data(), delta, nullptr)) /
                           (2 * h);
    EXPECT_NEAR(gradient[k], numeric, 1e-6 * std::max(1.0, std::abs(numeric))) << "θ[" << k << "]";
  }
}

TEST(LseHuberObjective, HuberMatchesHandValues) {
  EXPECT_DOUBLE_EQ(huber(0.0005, 1e-3), 0.5 * 0.0005 * 0.0005);
  EXPECT_DOUBLE_EQ(huber(-0.01, 1e-3), 1e-3 * (0.01 - 0.0005));
  EXPECT_EQ(hoffmann_grid(2).size(), 4500u);
  EXPECT_EQ(hoffmann_grid(1).size(), 150u);
}

// Full 4,500-start grid on 250 noisy points: the published parameters come back.
TEST(ChinchillaFit, RecoversKnownParametersWithFullGrid) {
  const auto truth = published_chinchilla();
  const auto s = synthetic_chinchilla(truth, 250, 0.01, 42);
  ChinchillaOptions options;
  options.bootstrap_resamples = 300;
  options.seed = 1;
  Timer timer;
  const auto fit = fit_chinchilla(s.params, s.tokens, s.loss, options);
  std::printf("full grid %.2fs, 300 bootstraps %.2fs\n", fit.seconds_grid, fit.seconds_bootstrap);
  EXPECT_EQ(fit.starts, 4500u);
  EXPECT_NEAR(fit.params.alpha, truth.alpha, 0.04);
  EXPECT_NEAR(fit.params.beta, truth.beta, 0.04);
  EXPECT_NEAR(fit.params.E, truth.E, 0.08);
  EXPECT_TRUE(fit.alpha.interval.contains(truth.alpha));
  EXPECT_TRUE(fit.beta.interval.contains(truth.beta));
  EXPECT_TRUE(fit.E.interval.contains(truth.E));
  EXPECT_LT(fit.alpha.interval.upper - fit.alpha.interval.lower, 0.2);
  // Predicted loss at an unseen scale is within a percent.
  EXPECT_NEAR(fit.params.loss(3e10, 6e11) / truth.loss(3e10, 6e11), 1.0, 0.01);
}

TEST(ChinchillaFit, ResultDoesNotDependOnThreadCount) {
  const auto s = synthetic_chinchilla(published_chinchilla(), 60, 0.01, 3);
  ChinchillaOptions options;
  options.starts = coarse_grid(2);
  options.bootstrap_resamples = 40;
  const auto many = fit_chinchilla(s.params, s.tokens, s.loss, options);
  const int threads = omp_get_max_threads();
  omp_set_num_threads(1);
  const auto one = fit_chinchilla(s.params, s.tokens, s.loss, options);
  omp_set_num_threads(threads);
  EXPECT_EQ(many.params.alpha, one.params.alpha);
  EXPECT_EQ(many.alpha.interval.lower, one.alpha.interval.lower);
  EXPECT_EQ(many.beta.interval.upper, one.beta.interval.upper);
}

// Over repeated synthetic draws the 95% bootstrap intervals should cover the truth ~95% of the
// time. The grid here is coarse (32 starts) to keep the test short; it tests the bootstrap, while
// the full grid is tested above.
TEST(ChinchillaFit, BootstrapIntervalsCoverTheTruth) {
  const auto truth = published_chinchilla();
  const int draws = 100;
  int cover_alpha = 0, cover_beta = 0, cover_e = 0, cover_a = 0, cover_b = 0;
  for (int draw = 0; draw < draws; ++draw) {
    const auto s = synthetic_chinchilla(truth, 80, 0.01, 1000 + static_cast<uint64_t>(draw));
    ChinchillaOptions options;
    options.starts = coarse_grid(2);
    options.bootstrap_resamples = 200;
    options.seed = static_cast<uint64_t>(draw);
    const auto fit = fit_chinchilla(s.params, s.tokens, s.loss, options);
    cover_alpha += fit.alpha.interval.contains(truth.alpha);
    cover_beta += fit.beta.interval.contains(truth.beta);
    cover_e += fit.E.interval.contains(truth.E);
    cover_a += fit.A.interval.contains(truth.A);
    cover_b += fit.B.interval.contains(truth.B);
  }
  std::printf("coverage over %d draws: alpha %d, beta %d, E %d, A %d, B %d\n", draws, cover_alpha,
              cover_beta, cover_e, cover_a, cover_b);
  // 95% nominal; with 100 draws the binomial sd is ~2.2 points, so 87..100 is a 3.5-sd band below.
  for (int covered : {cover_alpha, cover_beta, cover_e, cover_a, cover_b}) {
    EXPECT_GE(covered, 87);
  }
}

TEST(ChinchillaFit, FewerPointsThanParametersIsAnError) {
  const std::vector<double> n = {1e6, 2e6, 4e6, 8e6, 1.6e7};
  const std::vector<double> d = {1e8, 1e8, 1e8, 1e8, 1e8};
  const std::vector<double> l = {4.0, 3.8, 3.6, 3.5, 3.4};
  try {
    fit_chinchilla(n, d, l, {});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("5 points for 5 free parameters; need at least 6"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(fit_power_law({1e6, 2e6, 3e6}, {4.0, 3.8, 3.7}, {}), Error);
}

TEST(ComputeOptimal, MatchesClosedFormAndMinimisesLossAtFixedCompute) {
  // α = β and A = B: G = 1, so N_opt = D_opt = sqrt(C/6).
  const ChinchillaParams symmetric{1.5, 400, 400, 0.3, 0.3};
  const auto p = compute_optimal(symmetric, 6e20);
  EXPECT_NEAR(p.params, 1e10, 1e-3);
  EXPECT_NEAR(p.tokens, 1e10, 1e-3);
  EXPECT_NEAR(p.tokens_per_param, 1.0, 1e-12);
  // Published parameters: N_opt minimises L(N, C/(6N)) along the iso-FLOP line.
  const auto published = published_chinchilla();
  const double c = 5.76e23;  // Chinchilla's training compute
  const auto q = compute_optimal(published, c);
  const double at_opt = published.loss(q.params, c / (6 * q.params));
  for (double f : {0.9, 0.99, 1.01, 1.1})
    EXPECT_GT(published.loss(f * q.params, c / (6 * f * q.params)), at_opt);
  EXPECT_NEAR(q.params * q.tokens * 6, c, c * 1e-12);
}

}  // namespace
}  // namespace emlab::analysis
