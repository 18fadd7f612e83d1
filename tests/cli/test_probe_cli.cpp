// `emlab probe` on a trained checkpoint (table, JSON, ablations), probes at every checkpoint of a
// sweep (stored, exported), and bad input: an unknown probe, an ablation target the model lacks,
// a file that is not a model, a probe batch longer than the context.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "cli_runner.hpp"
#include "support/chart_checks.hpp"
#include "support/dom_query.hpp"
#include "support/headless_browser.hpp"

namespace emlab::testing {
namespace {

namespace fs = std::filesystem;

// A 2-layer attention-only model on the copy stream: about a second of training.
const char* kTrain = R"toml(
[model]
vocab_size = 64
context = 32
width = 32
layers = 2
heads = 2
mlp_width = 0
[optim]
learning_rate = 3e-3
warmup_steps = 10
[data]
task = "copy"
span = 6
[train]
batch_size = 8
steps = 60
seed = 1
log_every = 60
)toml";

// One trained checkpoint per test process (ctest runs tests of this file in parallel).
const fs::path& checkpoint() {
  static const fs::path path = [] {
    const fs::path dir = fresh_dir("probe_ckpt_" + std::to_string(getpid()));
    std::ofstream(dir / "train.toml") << kTrain;
    const auto r = run_emlab("train -q -c " + (dir / "train.toml").string() +
                             " --set train.out_dir=" + (dir / "run").string());
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return dir / "run" / "final.safetensors";
  }();
  return path;
}

TEST(ProbeCli, PrintsEveryHeadScoreAndWritesOneJsonObjectPerProbeLayerAndHead) {
  const fs::path dir = fresh_dir("probe_json_" + std::to_string(getpid()));
  const auto r = run_emlab("probe " + checkpoint().string() + " --block 12 --seed 3 --json " +
                           (dir / "p.json").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* name : {"previous_token", "induction", "induction_mul", "duplicate_token",
                           "copying", "icl_score", "repeat_loss_repeated"})
    EXPECT_NE(r.output.find(name), std::string::npos) << name;
  EXPECT_NE(r.output.find("12 distinct tokens"), std::string::npos) << r.output;
  const auto doc = nlohmann::json::parse(std::ifstream(dir / "p.json"));
  EXPECT_EQ(doc["block"], 12);
  std::set<std::tuple<std::string, int, int>> keys;
  for (const auto& s : doc["scores"]) {
    EXPECT_EQ(s["seed"], 3);
    const double v = s["value"];
    const std::string probe = s["probe"];
    if (probe == "induction" || probe == "previous_token" || probe == "duplicate_token") {
      EXPECT_GE(v, 0.0);
      EXPECT_LE(v, 1.0 + 1e-9);
    }
    if (probe == "copying") {
      EXPECT_GE(v, -1.0 - 1e-9);
      EXPECT_LE(v, 1.0 + 1e-9);
    }
    EXPECT_TRUE(keys.insert({probe, s["layer"], s["head"]}).second) << "duplicate " << probe;
  }
  // 5 head scores x 2 layers x 2 heads, 2 repeat losses, 5 in-context numbers, the induction
  // score of uniform attention (chance), and the repeated-copy loss with each of the 2 layers
  // ablated.
  EXPECT_EQ(doc["scores"].size(), 5u * 4u + 2u + 5u + 1u + 2u);
  EXPECT_EQ(keys.count({"induction_chance", -1, -1}), 1u);
  EXPECT_EQ(keys.count({"repeat_loss_ablated", 0, -1}) + keys.count({"repeat_loss_ablated", 1, -1}),
            2u);
  // The same seed gives the same numbers.
  const auto again = run_emlab("probe " + checkpoint().string() + " --block 12 --seed 3");
  EXPECT_EQ(again.output, r.output.substr(0, again.output.size()));
}

TEST(ProbeCli, AblatingComparesLossAndMetricsWithTheIntactModel) {
  auto r = run_emlab("probe " + checkpoint().string() +
                     " --ablate L1H0 --ablate L0.attn -t \"copy(length=4)\" -n 20");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("zero-ablated L1H0, L0.attn"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("held-out loss"), std::string::npos);
  EXPECT_NE(r.output.find("copy(length=4) exact_match"), std::string::npos) << r.output;
  r = run_emlab("probe " + checkpoint().string() + " --ablate L1H1 --ablate-mode mean");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("mean-ablated L1H1"), std::string::npos) << r.output;
}

TEST(ProbeCli, BadInputFailsClearly) {
  const std::string ckpt = checkpoint().string();
  auto r = run_emlab("probe " + ckpt + " -p induction -p inductoin");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("probe 'inductoin': unknown"), std::string::npos) << r.output;
  r = run_emlab("probe " + ckpt + " --ablate L2H0");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("layer 2 is outside 0..1"), std::string::npos) << r.output;
  r = run_emlab("probe " + ckpt + " --ablate L0H5");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("head 5 is outside 0..1"), std::string::npos) << r.output;
  r = run_emlab("probe " + ckpt + " --block 20 --repeats 2");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("longer than the model's context of 32"), std::string::npos) << r.output;
  const fs::path dir = fresh_dir("probe_bad_" + std::to_string(getpid()));
  std::ofstream(dir / "notes.safetensors") << "not a model";
  r = run_emlab("probe " + (dir / "notes.safetensors").string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("notes.safetensors"), std::string::npos) << r.output;
}

// A sweep with [probes] stores them at every checkpoint; export reads them back.
TEST(ProbeCli, ASweepStoresProbesAtEveryCheckpoint) {
  const fs::path dir = fresh_dir("probe_sweep_" + std::to_string(getpid()));
  std::ofstream(dir / "sweep.toml") << R"toml(
[sweep]
name = "probes"
tokens = [20000]
threads_per_run = 1
parallel_runs = 1
[models]
context = 32
shapes = [ { width = 32, layers = 1, heads = 2, mlp_width = 0 },
           { width = 32, layers = 2, heads = 2, mlp_width = 0 } ]
[data]
tasks = ["copy(length=4)"]
[train]
batch_size = 8
[checkpoints]
log_spaced = 3
[eval]
tasks = ["copy(length=4)", "hop(k=1)", "hop(k=2)"]
examples = 8
validation_examples = 16
[probes]
probes = ["induction", "icl", "repeat_loss"]
block = 10
rows = 8
icl_rows = 8
)toml";
  const std::string db = (dir / "p.sqlite").string();
  auto r = run_emlab("sweep -q " + (dir / "sweep.toml").string() + " --db " + db);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = run_emlab("export " + db + " --format probes");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // Per checkpoint: induction and induction_mul for every head, 2 repeat losses, 5 ICL numbers.
  const int checkpoints = 4, per_model_rows = 2 + 5;
  const int heads = 2 + 4;  // the 1-layer and the 2-layer model
  const auto lines = std::count(r.output.begin(), r.output.end(), '\n');
  EXPECT_EQ(lines, 1 + checkpoints * (2 * per_model_rows + 2 * heads)) << r.output;
  r = run_emlab("export " + db + " --format json");
  EXPECT_NE(r.output.find("\"probe\": \"repeat_loss_first\""), std::string::npos);

  // The report's Circuits and Depth sections, drawn in a real browser.
  if (find_chromium().empty()) GTEST_FAIL() << "chromium is missing: run scripts/setup.sh";
  r = run_emlab("report " + db + " -o " + (dir / "report.html").string() + " --json " +
                (dir / "report.json").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto report = nlohmann::json::parse(std::ifstream(dir / "report.json"));
  size_t expected = 0;
  std::set<std::string> ids;
  for (const auto& s : report["sections"]) {
    expected += s["charts"].size();
    ids.insert(s["id"].get<std::string>());
  }
  EXPECT_TRUE(ids.count("circuits")) << "no Circuits section";
  EXPECT_TRUE(ids.count("depth")) << "no Depth section";
  const BrowserRun run = dump_dom(dir / "report.html");
  ASSERT_TRUE(run.ok()) << run.error;
  std::string console;
  for (const auto& line : run.console) console += line + "\n";
  EXPECT_TRUE(run.console.empty()) << console;
  EXPECT_EQ(attribute(opening_tag(run.dom, "body"), "data-charts"), "done");
  EXPECT_EQ(expect_every_chart_drawn(run.dom), expected);
  EXPECT_NE(run.dom.find("Induction per model"), std::string::npos);
  EXPECT_NE(run.dom.find("Largest k solved"), std::string::npos);
  // A [probes] table the models cannot take fails before anything trains.
  r = run_emlab("sweep -q " + (dir / "sweep.toml").string() + " --db " +
                (dir / "bad.sqlite").string() + " --set probes.block=40");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("[probes]"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir / "bad-runs"));
}

}  // namespace
}  // namespace emlab::testing
