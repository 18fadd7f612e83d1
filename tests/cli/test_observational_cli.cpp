// `emlab forecast DB --method observational` end to end on the Sloth leaderboard
// (tests/data/import/sloth/, 98 models of 50 families, MIT): imported as a wide table, its
// capability space agrees with NumPy's (scripts/reference/observational_numpy.py, the numbers of
// tests/analysis/observational_reference_test.cpp), the family offsets and the backtest beside
// the compute-only sigmoid are printed and written as JSON; with holes, the models it leaves out
// are named; bad requests fail clearly.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/cli_runner.hpp"
#include "support/sloth_table.hpp"

namespace emlab::testing {
namespace {

namespace fs = std::filesystem;

const std::string kCapability = " --capability-tasks arc,hellaswag,mmlu,truthfulqa,winogrande";

fs::path import_sloth(const fs::path& dir,
                      const std::map<std::string, std::set<std::string>>& holes) {
  const fs::path db = dir / "board.sqlite";
  const fs::path table = sloth_table_with_holes(dir / "sloth.csv", holes);
  const auto r = run_emlab("import wide " + table.string() + " " + sloth_wide_flags() +
                           " --skip-incomplete -q --into " + db.string());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  return db;
}

TEST(ObservationalCli, SlothCapabilitySpaceOffsetsAndBacktest) {
  const fs::path dir = fresh_dir("observational_sloth");
  const fs::path db = import_sloth(dir, {});
  const fs::path json = dir / "obs.json";
  const auto r = run_emlab("forecast " + db.string() + " --method observational" + kCapability +
                           " --cutoff 8.4e22 --bootstrap 10 --seed 1 --json " + json.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("principal components of arc, hellaswag, mmlu, truthfulqa, winogrande "
                          "over 98 models"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("PC1            86.3%      +0.478      +0.458      +0.624      +0.271"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("PC1 = 0.2870·log10(FLOPs) + offset of the family (98 models, 50 "
                          "families"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("fitted on 41 models with training FLOPs <= 8.4e+22, predicting the 57 "
                          "above"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("mean over 7 tasks"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("left out"), std::string::npos) << r.output;

  std::ifstream in(json);
  const auto out = nlohmann::json::parse(in);
  EXPECT_EQ(out["method"], "observational");
  EXPECT_NEAR(out["capability_space"]["variance_share"][0].get<double>(), 0.8625656317095873,
              1e-12);  // NumPy's
  EXPECT_NEAR(out["efficiency"]["slope"].get<double>(), 0.28698306740509094, 1e-9);
  EXPECT_EQ(out["efficiency"]["offsets"].size(), 50u);
  const auto& backtest = out["backtest"];
  EXPECT_EQ(backtest["train_models"], 41);
  EXPECT_EQ(backtest["components"], 3);
  ASSERT_EQ(backtest["tasks"].size(), 7u);  // every task not in the capability space
  for (const auto& t : backtest["tasks"]) {
    EXPECT_EQ(t["held_out"].size(), 57u) << t["task"];
    EXPECT_LE(t["observational_error"]["lower"].get<double>(),
              t["observational_error"]["upper"].get<double>());
  }
  // GSM8K (the second target, sorted by name) where the least squares agree with SciPy's: its
  // mean absolute error on the 57 held-out models is SciPy's too.
  EXPECT_EQ(backtest["tasks"][2]["task"], "gsm8k");
  EXPECT_NEAR(backtest["tasks"][2]["observational_error"]["value"].get<double>(),
              0.26116275680653867, 1e-3);
}

TEST(ObservationalCli, WithHolesTheModelsLeftOutAreNamed) {
  const fs::path dir = fresh_dir("observational_holes");
  auto holes = sloth_holes();
  holes["bloom-560m"] = {"mmlu"};
  const fs::path db = import_sloth(dir, holes);
  const auto r = run_emlab("forecast " + db.string() + " --method observational" + kCapability +
                           " --tasks gsm8k,math --capability-quantile 0.5 --bootstrap 5");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string qwen = "qwen2-0.5b, qwen2-1.5b, qwen2-72b, qwen2-7b";
  EXPECT_NE(r.output.find("note: the capability space: left out 1 model(s) without a score on "
                          "every capability task (arc, hellaswag, mmlu, truthfulqa, winogrande): "
                          "bloom-560m"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("over 96 models"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("note: the observational backtest: left out 4 model(s) without "
                          "training FLOPs: " +
                          qwen),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("note: the family compute efficiency: left out 4 model(s) without "
                          "training FLOPs: " +
                          qwen),
            std::string::npos)
      << r.output;
  // 92 models in the backtest, split at the median of their first component.
  EXPECT_NE(r.output.find("fitted on 46 models with first component"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("mean over 2 tasks"), std::string::npos) << r.output;
}

TEST(ObservationalCli, BadRequestsFailClearly) {
  const fs::path dir = fresh_dir("observational_bad");
  const fs::path db = import_sloth(dir, {});
  const std::string base = "forecast " + db.string() + " --method observational";
  auto r = run_emlab(base + " --cutoff 8.4e22");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("name the benchmarks that span the capability space with "
                          "--capability-tasks"),
            std::string::npos)
      << r.output;
  r = run_emlab(base + kCapability);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("give --cutoff FLOPS"), std::string::npos) << r.output;
  r = run_emlab(base + " --capability-tasks arc,mmlux --cutoff 8.4e22");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("no task 'mmlux' has final scores; it has: arc, bbh"), std::string::npos)
      << r.output;
  r = run_emlab(base + kCapability + " --tasks arc --cutoff 8.4e22");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("--tasks: 'arc' is also a capability task"), std::string::npos)
      << r.output;
  r = run_emlab(base + kCapability + " --cutoff 8.4e22 --cutoff-axis params");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("--cutoff is in training FLOPs"), std::string::npos) << r.output;
  r = run_emlab("forecast " + db.string() + kCapability + " --cutoff 1e9 --abilities");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("belong to --method observational"), std::string::npos) << r.output;
  r = run_emlab("forecast " + db.string() + " --method ladder --cutoff 1e9");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("--method: unknown 'ladder'"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace emlab::testing
