// The Chinchilla fit on real public data (Gadre et al. 2024, tests/data/analysis/gadre2024) against
// an independent SciPy fit of the same objective (scripts/reference/chinchilla_scipy.py).
#include <gtest/gtest.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "analysis/chinchilla_fit.hpp"
#include "imports/gadre_csv.hpp"

namespace emlab::analysis {
namespace {

const char* kPython = "/usr/bin/python3";  // Debian's, with python3-scipy (not a pyenv one)

std::string run(const std::string& command, int& status) {
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) {
    status = -1;
    return output;
  }
  char buffer[4096];
  while (size_t got = fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, got);
  status = pclose(pipe);
  return output;
}

TEST(GadreChinchilla, AgreesWithScipyWithinBootstrapInterval) {
  int status = 0;
  run(std::string(kPython) + " -c 'import scipy, numpy' 2>/dev/null", status);
  if (status != 0) GTEST_SKIP() << kPython << " lacks scipy/numpy: install python3-scipy";

  const std::string scaling =
      std::string(EMLAB_TEST_DATA) + "/analysis/gadre2024/gadre2024_scaling_loss_104models.csv";
  // SciPy from every second grid value per coordinate (243 of the 4,500 starts) keeps this test
  // short; scripts/reference/chinchilla_scipy.py without --grid-stride runs the full grid.
  const std::string output =
      run(std::string(kPython) + " " + EMLAB_SOURCE_DIR +
              "/scripts/reference/chinchilla_scipy.py " + scaling + " --grid-stride 2",
          status);
  ASSERT_EQ(status, 0) << output;
  const auto reference = nlohmann::json::parse(output);
  const auto& scipy = reference["params"];

  ChinchillaOptions options;
  options.bootstrap_resamples = 1000;
  options.seed = 2024;
  const auto fit = fit_chinchilla(loss_points(imports::read_gadre_scaling_csv(scaling)), options);
  std::printf("emlab: E %.4f A %.2f B %.2f alpha %.4f beta %.4f objective %.6e\n", fit.params.E,
              fit.params.A, fit.params.B, fit.params.alpha, fit.params.beta, fit.objective);
  std::printf("scipy: E %.4f A %.2f B %.2f alpha %.4f beta %.4f objective %.6e\n",
              scipy["E"].get<double>(), scipy["A"].get<double>(), scipy["B"].get<double>(),
              scipy["alpha"].get<double>(), scipy["beta"].get<double>(),
              reference["objective"].get<double>());
  std::printf("emlab 95%%: E [%.4f, %.4f] alpha [%.4f, %.4f] beta [%.4f, %.4f]\n",
              fit.E.interval.lower, fit.E.interval.upper, fit.alpha.interval.lower,
              fit.alpha.interval.upper, fit.beta.interval.lower, fit.beta.interval.upper);

  EXPECT_EQ(fit.points, 104u);
  EXPECT_TRUE(fit.E.interval.contains(scipy["E"].get<double>()));
  EXPECT_TRUE(fit.A.interval.contains(scipy["A"].get<double>()));
  EXPECT_TRUE(fit.B.interval.contains(scipy["B"].get<double>()));
  EXPECT_TRUE(fit.alpha.interval.contains(scipy["alpha"].get<double>()));
  EXPECT_TRUE(fit.beta.interval.contains(scipy["beta"].get<double>()));
  // Same objective: ours, from more starts, must be at least as low (to rounding).
  EXPECT_LE(fit.objective, reference["objective"].get<double>() * (1 + 1e-6));
}

}  // namespace
}  // namespace emlab::analysis
