// `emlab train` as a user runs it: a real run, its record and checkpoint, interruption and resume,
// and a clear error with a non-zero exit for each kind of bad input.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"

namespace emlab::testing {
namespace {

namespace fs = std::filesystem;

const std::string kSmallRun =
    "--set model.width=32 --set model.layers=1 --set model.heads=2 --set model.context=16 "
    "--set model.vocab_size=12 --set train.batch_size=4 --set data.span=3 --set train.log_every=10";

nlohmann::json read_json(const fs::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

TEST(TrainCli, RunsRecordsAndCheckpoints) {
  const fs::path dir = fresh_dir("run");
  const auto r =
      run_emlab("train " + kSmallRun + " --set train.steps=40 --set train.out_dir=" + dir.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("step 40/40"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("tok/s"), std::string::npos);
  EXPECT_NE(r.output.find("ETA"), std::string::npos);
  ASSERT_TRUE(fs::exists(dir / "final.safetensors"));
  const auto record = read_json(dir / "run.json");
  EXPECT_EQ(record["status"], "completed");
  EXPECT_EQ(record["steps_done"], 40);
  EXPECT_EQ(record["config"]["model"]["width"], 32);
  EXPECT_EQ(record["seed"], 1);
  EXPECT_FALSE(record["code_version"].get<std::string>().empty());
  EXPECT_FALSE(record["machine"]["cpu"].get<std::string>().empty());
  EXPECT_EQ(record["losses"].size(), 40u);
}

// The matrix product can be chosen (to compare, or to repeat a run made with OpenBLAS); a choice
// emlab does not know is refused by name before any work, and the run record says which ran.
TEST(TrainCli, MatrixProductIsChosenByEnvironmentAndRecorded) {
  auto r = run_command("EMLAB_GEMM=fastest " EMLAB_CLI " --version");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("EMLAB_GEMM=fastest: expected auto, openblas"), std::string::npos)
      << r.output;
  const fs::path dir = fresh_dir("gemm_choice");
  r = run_command("EMLAB_GEMM=openblas " EMLAB_CLI " train -q " + kSmallRun +
                  " --set train.steps=3 --set train.out_dir=" + dir.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string blas = read_json(dir / "run.json")["blas"];
  EXPECT_EQ(blas.find("sgemm: emlab"), std::string::npos) << blas;
}

TEST(TrainCli, CheckpointLoadsInAnIndependentPythonReader) {
  const fs::path dir = fresh_dir("python");
  ASSERT_EQ(run_emlab("train -q " + kSmallRun +
                      " --set train.steps=5 --set train.out_dir=" + dir.string())
                .exit_code,
            0);
  const auto r =
      run_command("/usr/bin/python3 " EMLAB_SOURCE_DIR "/tests/python/load_safetensors.py " +
                  (dir / "final.safetensors").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto doc = nlohmann::json::parse(r.output);
  EXPECT_EQ(doc["metadata"]["format"], "emlab-checkpoint-v1");
  EXPECT_EQ(doc["metadata"]["step"], "5");
  const auto& wte = doc["tensors"]["wte.weight"];
  EXPECT_EQ(wte["shape"], nlohmann::json::array({12, 32}));
  EXPECT_EQ(doc["tensors"]["h.0.attn.qkv.weight"]["shape"], nlohmann::json::array({96, 32}));
  EXPECT_TRUE(doc["tensors"].contains("adamw.m.wte.weight"));
  const auto config = nlohmann::json::parse(doc["metadata"]["train_config"].get<std::string>());
  EXPECT_EQ(config["model"]["width"], 32);
}

TEST(TrainCli, InterruptedRunResumesToTheSameLosses) {
  const fs::path full = fresh_dir("full"), cut = fresh_dir("cut");
  const std::string args = " -q " + kSmallRun + " --set train.steps=4000 --set train.seed=9";
  ASSERT_EQ(run_emlab("train" + args + " --set train.out_dir=" + full.string()).exit_code, 0);

  // SIGINT part-way: the run saves a checkpoint, says how to resume, and exits with 130. The
  // signal goes once the run has saved step 20 (it saves every step, so it is then seconds from
  // its end): a fixed delay was a race, and lost it on a machine that ran all 4000 steps in 0.5 s.
  const auto interrupted = run_command(
      std::string(EMLAB_CLI) + " train" + args + " --set train.checkpoint_every=1" +
      " --set train.out_dir=" + cut.string() + " & pid=$!; for i in $(seq 6000); do [ -e " +
      (cut / "step_00000020.safetensors").string() +
      " ] && break; sleep 0.01; done; kill -INT $pid; wait $pid");
  ASSERT_EQ(interrupted.exit_code, 130) << interrupted.output;
  EXPECT_NE(interrupted.output.find("resume with"), std::string::npos) << interrupted.output;
  ASSERT_TRUE(fs::exists(cut / "interrupted.safetensors"));
  const auto partial = read_json(cut / "run.json");
  EXPECT_EQ(partial["status"], "paused");
  const int stopped_at = partial["steps_done"];
  EXPECT_GT(stopped_at, 0);
  EXPECT_LT(stopped_at, 4000);

  // The rest of the run saves rarely again: 4,000 checkpoints of 200 kB each once took minutes
  // on a busy disk. Saving does not change the losses.
  const auto resumed = run_emlab("train -q --resume " + (cut / "interrupted.safetensors").string() +
                                 " --set train.checkpoint_every=1000");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  const auto a = read_json(full / "run.json"), b = read_json(cut / "run.json");
  EXPECT_EQ(b["status"], "completed");
  for (int step = stopped_at; step < 4000; step += 97)
    ASSERT_EQ(a["losses"][step], b["losses"][step]) << "step " << step;
  EXPECT_EQ(a["final_loss"], b["final_loss"]);
}

struct BadInput {
  BadInput(const char* case_name, std::string arguments, std::string expected,
           std::string config_text = "")
      : name(case_name),
        args(std::move(arguments)),
        expected_message(std::move(expected)),
        config(std::move(config_text)) {}
  const char* name;
  std::string args;
  std::string expected_message;
  std::string config;  // a config file's text, written by the test and passed as --config
};

class TrainCliBadInput : public ::testing::TestWithParam<BadInput> {};

TEST_P(TrainCliBadInput, FailsWithAClearMessage) {
  const BadInput& c = GetParam();
  std::string args = c.args;
  if (!c.config.empty()) {
    // Written here, not when the cases are listed: every test_cli process lists them at start,
    // and processes that ctest starts together would delete each other's files.
    const fs::path path = fresh_dir(std::string("bad_") + c.name) / "config.toml";
    std::ofstream(path) << c.config;
    args = "--config " + path.string();
  }
  const auto r = run_emlab("train -q " + args);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find(c.expected_message), std::string::npos)
      << "expected '" << c.expected_message << "' in:\n"
      << r.output;
}

std::vector<BadInput> bad_inputs() {
  return {
      {"width_not_divisible", "--set model.width=65 --set model.heads=4",
       "model.width: 65 is not divisible by model.heads = 4"},
      {"zero_layers", "--set model.layers=0", "model.layers: must be at least 1 (got 0)"},
      {"negative_batch", "--set train.batch_size=-3",
       "train.batch_size: must be positive (got -3)"},
      {"negative_vocab", "--set model.vocab_size=-1", "model.vocab_size: must be positive"},
      {"sequence_longer_than_context", "--set model.context=16 --set train.seq_len=32",
       "train.seq_len: 32 is longer than model.context = 16"},
      {"vocabulary_too_small_for_data", "--set model.vocab_size=2",
       "needs model.vocab_size >= 3 (got 2)"},
      {"unknown_task", "--set data.task=poetry", "data.task: unknown task 'poetry'"},
      {"unknown_key", "", "config.toml:3: model.widht: unknown key",
       "[model]\nwidth = 64\nwidht = 64\n"},
      {"unknown_section", "", "unknown table 'modle'", "[modle]\nwidth = 64\n"},
      {"wrong_type", "", "config.toml:2: model.width: expected an integer, got string",
       "[model]\nwidth = \"wide\"\n"},
      {"malformed_toml", "", "config.toml:1", "[model\nwidth = 64\n"},
      {"missing_checkpoint", "--resume /nonexistent/final.safetensors",
       "/nonexistent/final.safetensors: file not found"},
      {"bad_override", "--set width", "--set width: expected section.key=value"},
  };
}

INSTANTIATE_TEST_SUITE_P(Cases, TrainCliBadInput, ::testing::ValuesIn(bad_inputs()),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(TrainCli, MismatchedCheckpointIsRefused) {
  const fs::path dir = fresh_dir("mismatch");
  ASSERT_EQ(run_emlab("train -q " + kSmallRun +
                      " --set train.steps=2 --set train.out_dir=" + dir.string())
                .exit_code,
            0);
  const fs::path config = dir / "wider.toml";
  std::ofstream(config)
      << "[model]\nwidth = 64\nmlp_width = 128\nlayers = 1\nheads = 2\ncontext = 16\n"
         "vocab_size = 12\n[data]\nspan = 3\n";
  const auto r = run_emlab("train -q --config " + config.string() + " --resume " +
                           (dir / "final.safetensors").string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("model.width is 32 in the checkpoint but 64"), std::string::npos)
      << r.output;
}

}  // namespace
}  // namespace emlab::testing
