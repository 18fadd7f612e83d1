// Sweep configs and plans: TOML errors name file, line and key; shapes follow the stated rule;
// checkpoints are log-spaced and end at the last step; the plan names each run once.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "support/error_message.hpp"
#include "sweep/ledger.hpp"
#include "sweep/ledger_messages.hpp"
#include "sweep/schedule.hpp"
#include "sweep/sweep_config_toml.hpp"

namespace emlab::sweep {
namespace {

const char* kSweep = R"toml(
[sweep]
name = "arith"
tokens = [4096, 8192]
seeds = [1, 2]

[models]
context = 32
shapes = [ { width = 32, layers = 1, heads = 2 }, { width = 64, layers = 2, heads = 4 } ]

[data]
tasks = ["add(digits=2)"]

[train]
batch_size = 8

[checkpoints]
log_spaced = 3
first_step = 2

[eval]
examples = 10
)toml";

const char* kShape = "[models]\nshapes = [ { width = 32, layers = 1, heads = 2 } ]\n";

std::string error_of(const std::string& text) {
  return testing::error_message([&] { parse_sweep_config(text, "sweep.toml"); });
}

TEST(SweepConfig, PlansEveryShapeTokenBudgetAndSeed) {
  const SweepConfig config = parse_sweep_config(kSweep, "sweep.toml");
  const auto runs = plan_sweep(config);
  ASSERT_EQ(runs.size(), 8u);
  EXPECT_EQ(runs[0].name, "L1-d32-D4096-s1");
  EXPECT_EQ(runs[1].name, "L1-d32-D4096-s2");
  EXPECT_EQ(runs[2].name, "L1-d32-D8192-s1");
  EXPECT_EQ(runs[7].name, "L2-d64-D8192-s2");
  EXPECT_EQ(runs[0].config.steps, 16);  // 4096 tokens / (8 x 32)
  EXPECT_EQ(runs[2].config.steps, 32);
  EXPECT_EQ(runs[7].config.model.heads, 4);
  EXPECT_EQ(runs[7].config.model.mlp_width, 256);
  EXPECT_EQ(runs[1].config.seed, 2u);
  // 3 log-spaced steps from 2 to 16: 2, 4, 8; then the end.
  EXPECT_EQ(runs[0].checkpoint_steps, (std::vector<int64_t>{2, 4, 8, 16}));
  EXPECT_EQ(runs[0].eval.tasks, std::vector<std::string>{"add(digits=2)"});
}

TEST(SweepConfig, ShapesFromTargetsFollowTheAspectRule) {
  ShapeRule rule;
  rule.aspect_ratio = 32;
  rule.head_width = 16;
  rule.mlp_ratio = 4;
  nn::ModelConfig base;
  base.vocab_size = 64;
  base.context = 32;
  // N = L (4 + 2·4) (32 L)² = 12288 L³: L = 2 gives 98,304.
  const nn::ModelConfig m = shape_for_target(98304, rule, base);
  EXPECT_EQ(m.layers, 2);
  EXPECT_EQ(m.width, 64);
  EXPECT_EQ(m.heads, 4);
  EXPECT_EQ(m.mlp_width, 256);
  EXPECT_EQ(shape_for_target(12288, rule, base).layers, 1);
  EXPECT_EQ(shape_for_target(12288 * 27.0, rule, base).layers, 3);
  // The model's own count is close to the target (biases and norms are the difference).
  EXPECT_NEAR(double(m.non_embedding_parameter_count()) / 98304, 1.0, 0.05);
}

TEST(SweepConfig, CheckpointStepsAreLogSpacedAndIncludeTheEnd) {
  CheckpointSchedule s;
  s.log_spaced = 4;
  s.first_step = 10;
  EXPECT_EQ(checkpoint_steps(s, 10000), (std::vector<int64_t>{10, 56, 316, 1778, 10000}));
  s.initial = true;
  s.log_spaced = 0;
  EXPECT_EQ(checkpoint_steps(s, 50), (std::vector<int64_t>{0, 50}));
  s = {};
  EXPECT_EQ(checkpoint_steps(s, 3).back(), 3);  // tiny runs still end with their last step
}

TEST(SweepConfig, InverseWidthRuleAndWarmupFraction) {
  const SweepConfig config =
      parse_sweep_config(kSweep, "sweep.toml",
                         {"sweep.lr_rule=\"inverse_width\"", "sweep.lr_base_width=32",
                          "optim.learning_rate=0.004", "sweep.warmup_fraction=0.25"});
  const auto runs = plan_sweep(config);
  EXPECT_FLOAT_EQ(runs[0].config.optim.learning_rate, 0.004f);
  EXPECT_FLOAT_EQ(runs[7].config.optim.learning_rate, 0.002f);
  EXPECT_EQ(runs[0].config.optim.warmup_steps, 4);  // a quarter of 16 steps
}

TEST(SweepConfig, ErrorsNameTheFileLineAndKey) {
  EXPECT_NE(error_of("[sweep]\ntokens = [100]\nepochs = 3\n")
                .find("sweep.toml:3: sweep.epochs: unknown key"),
            std::string::npos)
      << error_of("[sweep]\ntokens = [100]\nepochs = 3\n");
  EXPECT_NE(error_of("[sweep]\ntokens = \"many\"\n").find("sweep.toml:2: sweep.tokens"),
            std::string::npos);
  EXPECT_NE(error_of("[sweep]\ntokens = [-5]\n").find("positive whole numbers"), std::string::npos);
  EXPECT_NE(error_of("[sweep]\ntokens = [100]\n[model]\nwidth = 3\n").find("model"),
            std::string::npos);
  EXPECT_NE(error_of("[sweep]\ntokens = [100\n").find("sweep.toml:"), std::string::npos);
  EXPECT_NE(error_of("[sweep]\ntokens = [100]\n[models]\nshapes = [ { width = 32, layres = 2 } ]\n")
                .find("models.shapes[0].layres: unknown key"),
            std::string::npos);
  EXPECT_NE(error_of(std::string("[sweep]\ntokens = [100]\n") + kShape + "[train]\nsteps = 10\n")
                .find("train.steps"),
            std::string::npos);
  const std::string metric = error_of(std::string("[sweep]\ntokens = [100]\n") + kShape +
                                      "[eval]\nmetrics = [\"exact_match\", \"exact-match\"]\n");
  EXPECT_NE(metric.find("sweep.toml:6: eval.metrics: unknown metric \"exact-match\""),
            std::string::npos)
      << metric;
  EXPECT_NE(error_of("[sweep]\ntokens = [100]\nlr_rule = \"magic\"\n").find("inverse_width"),
            std::string::npos);
  EXPECT_NE(error_of(std::string("[sweep]\ntokens = [100]\n") + kShape + "[eval]\nexamples = 0\n")
                .find("eval.examples"),
            std::string::npos);
}

TEST(SweepConfig, ScalesApplyTheirOverridesBeforeTheCommandLine) {
  const std::string text =
      std::string(kSweep) + "\n[scales]\nsmoke = [\"sweep.tokens=[1024]\", \"sweep.seeds=[7]\"]\n";
  const SweepConfig small = parse_sweep_config(text, "sweep.toml", {}, "small");
  EXPECT_EQ(small.tokens, (std::vector<int64_t>{4096, 8192}));  // the file as written
  const SweepConfig smoke = parse_sweep_config(text, "sweep.toml", {"sweep.seeds=[9]"}, "smoke");
  EXPECT_EQ(smoke.tokens, (std::vector<int64_t>{1024}));
  EXPECT_EQ(smoke.seeds, (std::vector<uint64_t>{9}));  // the command line wins
  EXPECT_NE(testing::error_message([&] {
              parse_sweep_config(text, "sweep.toml", {}, "full");
            }).find("sweep.toml: [scales] has no 'full' (has: smoke)"),
            std::string::npos);
  EXPECT_NE(testing::error_message([&] {
              parse_sweep_config(kSweep, "sweep.toml", {}, "smoke");
            }).find("no [scales] table"),
            std::string::npos);
}

TEST(SweepConfig, ARunPrefixStartsEveryRunName) {
  const auto runs = plan_sweep(parse_sweep_config(kSweep, "sweep.toml", {"sweep.run_prefix=R16"}));
  for (const RunSpec& r : runs) EXPECT_EQ(r.name.rfind("R16-L", 0), 0u) << r.name;
  EXPECT_NE(testing::error_message([&] {
              parse_sweep_config(kSweep, "sweep.toml", {"sweep.run_prefix=a/b"});
            }).find("run_prefix"),
            std::string::npos);
}

TEST(SweepConfig, FuzzFoundInputsEndInAPlanOrAClearError) {
  // tests/data/fuzz/sweep_config/: inputs scripts/fuzz.sh found; under UBSan (scripts/test.sh's
  // sanitizer stage) a float read as an integer was undefined behaviour inside toml++.
  const std::filesystem::path dir =
      std::filesystem::path(EMLAB_TEST_DATA) / "fuzz" / "sweep_config";
  int inputs = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    ++inputs;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), {});
    testing::error_message([&] { plan_sweep(parse_sweep_config(text, "fuzz.toml")); });
  }
  EXPECT_GE(inputs, 1);
}

TEST(SweepConfig, PlanErrorsNameTheRunOrTheDuplicateShape) {
  const auto config = parse_sweep_config(
      kSweep, "sweep.toml", {"models.target_parameters=[12288, 13000]", "models.shapes=[]"});
  const std::string message = testing::error_message([&] { plan_sweep(config); });
  EXPECT_NE(message.find("give the same shape L1-d32"), std::string::npos) << message;
  const auto bad = parse_sweep_config(kSweep, "sweep.toml", {"train.seq_len=64"});
  const std::string too_long = testing::error_message([&] { plan_sweep(bad); });
  EXPECT_NE(too_long.find("run L1-d32-D4096-s1"), std::string::npos) << too_long;
}

TEST(Schedule, LongestFirstMakespan) {
  // 5, 4, 3, 3, 3 on two slots: 5 | 4, then 3 -> 4+3, 3 -> 5+3, 3 -> 7+3 = 10 vs 8.
  EXPECT_DOUBLE_EQ(longest_first_makespan({3, 5, 3, 4, 3}, 2), 10);
  EXPECT_DOUBLE_EQ(longest_first_makespan({49, 17, 4}, 2), 49);  // one long run sets the time
  EXPECT_DOUBLE_EQ(longest_first_makespan({49, 17, 4}, 1), 70);
  EXPECT_DOUBLE_EQ(longest_first_makespan({}, 3), 0);
}

TEST(LedgerMessages, AssignmentsAndCheckpointsSurviveTheWireExactly) {
  const auto runs = plan_sweep(parse_sweep_config(kSweep, "sweep.toml"));
  Assignment a{7, runs[3], {2, 4}};
  const Assignment back = assignment_from_json(nlohmann::json::parse(to_json(a).dump()));
  EXPECT_EQ(back.run_id, 7);
  EXPECT_EQ(back.spec.name, runs[3].name);
  EXPECT_EQ(to_planned_run(back.spec).config_json, to_planned_run(runs[3]).config_json);
  EXPECT_EQ(back.steps_done, (std::vector<int64_t>{2, 4}));

  store::CheckpointWrite w;
  w.checkpoint = {8, 2048, 1.0 / 3.0, 2.0 / 7.0, std::nan("")};
  w.step_losses = {{6, 0.1 + 0.2}, {7, 1e-300}};
  w.examples = {{"t", 0, R"({"a":1})"}};
  w.metrics = {{"t", "exact_match", 1.0 / 3.0, 0.1, 0.9, std::nan(""), 3, 0.25, false}};
  const auto r = checkpoint_write_from_json(nlohmann::json::parse(to_json(w).dump()));
  EXPECT_EQ(r.checkpoint.flops, 1.0 / 3.0);  // bit-exact
  EXPECT_EQ(r.checkpoint.train_loss, 2.0 / 7.0);
  EXPECT_TRUE(std::isnan(r.checkpoint.validation_loss));
  EXPECT_EQ(r.step_losses, w.step_losses);
  EXPECT_EQ(r.examples[0].record_json, w.examples[0].record_json);
  EXPECT_EQ(r.metrics[0].value, 1.0 / 3.0);
  EXPECT_TRUE(std::isnan(r.metrics[0].standard_error));
  EXPECT_EQ(r.metrics[0].chance, 0.25);
  EXPECT_FALSE(r.metrics[0].continuous);
}

}  // namespace
}  // namespace emlab::sweep
