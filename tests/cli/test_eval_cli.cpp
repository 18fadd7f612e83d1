// `emlab train` on the task suite, then `emlab eval` of its checkpoint, and eval's bad inputs.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"

namespace emlab::testing {
namespace {

namespace fs = std::filesystem;

class EvalCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fresh_dir("eval_" + std::to_string(getpid()));  // ctest runs these tests at once
    const auto r = run_emlab(
        "train -q --set model.vocab_size=64 --set model.context=32 --set model.width=32 "
        "--set model.heads=2 --set train.batch_size=8 --set train.steps=20 "
        "--set 'data.tasks=[\"add(digits=2)\", \"copy(length=4)\"]' --set 'data.weights=[3, 1]' "
        "--set train.out_dir=" +
        dir_.string());
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  static fs::path checkpoint() { return dir_ / "final.safetensors"; }
  static fs::path dir_;
};
fs::path EvalCli::dir_;

TEST_F(EvalCli, PrintsEveryMetricAndWritesJson) {
  const auto json_path = (dir_ / "eval.json").string();
  const auto r =
      run_emlab("eval " + checkpoint().string() +
                " --task 'add(digits=2)' --task kb -n 30 --samples 3 --json " + json_path);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* metric : {"exact_match", "token_accuracy", "token_edit_distance",
                             "target_logprob", "mc_grade", "brier", "pass@3", "self_consistency"})
    EXPECT_NE(r.output.find(metric), std::string::npos) << metric << " missing in\n" << r.output;
  std::ifstream in(json_path);
  const auto doc = nlohmann::json::parse(in);
  ASSERT_EQ(doc["tasks"].size(), 2u);
  EXPECT_EQ(doc["tasks"][0]["records"], 30);
}

TEST_F(EvalCli, BadInputsFailClearly) {
  auto expect_error = [](const std::string& args, const std::string& message) {
    const auto r = run_emlab(args);
    EXPECT_EQ(r.exit_code, 1) << args << "\n" << r.output;
    EXPECT_NE(r.output.find(message), std::string::npos) << args << "\n" << r.output;
  };
  expect_error("eval " + checkpoint().string() + " --task poetry", "poetry");
  expect_error("eval " + checkpoint().string() + " --task 'add(digits=0)'", "digits");
  expect_error("eval " + checkpoint().string() + " --task 'hop(k=-1)'", "k");
  expect_error("eval " + checkpoint().string() + " --task 'kb(choices=40)'", "choices");
  // A model trained on the copy stream (vocabulary 32) cannot read the task alphabet.
  const auto small = fresh_dir("eval_small");
  ASSERT_EQ(run_emlab("train -q --set train.steps=2 --set model.context=16 --set data.span=3 "
                      "--set train.out_dir=" +
                      small.string())
                .exit_code,
            0);
  expect_error("eval " + (small / "final.safetensors").string() + " --task add",
               "uses a vocabulary of 64 tokens, the model has 32");
  expect_error("train -q --set model.vocab_size=32 --set 'data.tasks=[\"add\"]'",
               "model.vocab_size: 32 is smaller than the data stream");
}

}  // namespace
}  // namespace emlab::testing
