// `emlab fit` and `emlab forecast` as a user runs them, on the public Gadre et al. 2024 data.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"

namespace emlab::testing {
namespace {

const std::string kGadre =
    EMLAB_SOURCE_DIR "/tests/data/analysis/gadre2024/gadre2024_scaling_loss_104models.csv";

TEST(FitCli, ChinchillaOnGadreDataPrintsAndWritesJson) {
  const auto dir = fresh_dir("fit");
  const auto json_path = (dir / "fit.json").string();
  const auto r = run_emlab("fit --gadre " + kGadre + " --bootstrap 100 --json " + json_path);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Chinchilla L(N,D)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("95% interval"), std::string::npos);
  std::ifstream in(json_path);
  const auto doc = nlohmann::json::parse(in);
  // The optimum of the Hoffmann objective on these 104 points, as SciPy also finds it
  // (scripts/reference/chinchilla_scipy.py): E 1.7377, alpha 0.2534, beta 0.2577.
  EXPECT_NEAR(doc["chinchilla"]["E"]["estimate"].get<double>(), 1.7377, 2e-3);
  EXPECT_NEAR(doc["chinchilla"]["alpha"]["estimate"].get<double>(), 0.2534, 2e-3);
  EXPECT_NEAR(doc["chinchilla"]["beta"]["estimate"].get<double>(), 0.2577, 2e-3);
  const auto interval = doc["chinchilla"]["alpha"]["interval"];
  EXPECT_LT(interval[0].get<double>(), 0.2534);
  EXPECT_GT(interval[1].get<double>(), 0.2534);
}

TEST(FitCli, BadCsvNamesTheRowAndColumn) {
  const auto dir = fresh_dir("fit_bad");
  const auto path = (dir / "bad.csv").string();
  std::ofstream(path) << "model,params,tokens,loss\nm1,1e6,2e7,3.5\nm2,abc,2e7,3.1\n";
  const auto r = run_emlab("fit --csv " + path);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("bad.csv:3: column 'params' (column 2): expected a finite number, got "
                          "'abc'"),
            std::string::npos)
      << r.output;
  const auto missing = dir / "missing.csv";
  std::ofstream(missing) << "model,tokens,loss\nm1,2e7,3.5\n";
  const auto m = run_emlab("fit --csv " + missing.string());
  EXPECT_EQ(m.exit_code, 1);
  EXPECT_NE(m.output.find("params"), std::string::npos) << m.output;
}

TEST(ForecastCli, BacktestOnGadrePredictsTheLargerModels) {
  const auto r = run_emlab("forecast --gadre " + kGadre + " --cutoff 1e9 --bootstrap 50");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("predicting 9 larger"), std::string::npos) << r.output;
  const auto at = r.output.find("mean |rel. error| ");
  ASSERT_NE(at, std::string::npos) << r.output;
  // Measured 2.55%: a Chinchilla fit on models up to 1B predicts the 1.4B and 6.9B losses.
  EXPECT_LT(std::stod(r.output.substr(at + 18)), 5.0) << r.output;
}

}  // namespace
}  // namespace emlab::testing
