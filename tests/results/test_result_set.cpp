// The results layer on a real SQLite file: the typed rows `emlab fit` reads from a database equal
// the long CSV `emlab export` writes, parsed back (the path they replaced); a run's architecture is
// read once, with errors that name the run; the depth staircase counts as the depth study does.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <sstream>

#include "imports/long_csv.hpp"
#include "probe/probe_registry.hpp"
#include "results/depth_summary.hpp"
#include "results/loss_points.hpp"
#include "results/result_set.hpp"
#include "store/export.hpp"
#include "support/error_message.hpp"
#include "support/result_set_builder.hpp"

namespace emlab::results {
namespace {

namespace fs = std::filesystem;

fs::path fresh(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("emlab_results_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir / "results.sqlite";
}

store::PlannedRun planned(const std::string& name, int64_t parameters, int layers) {
  store::PlannedRun p;
  p.name = name;
  p.config_json =
      fmt::format(R"({{"model":{{"vocab_size":16,"context":32,"width":32,"layers":{},"heads":2,)"
                  R"("mlp_width":128,"tied_embeddings":true}}}})",
                  layers);
  p.schedule_json = R"({"checkpoint_steps":[5,10]})";
  p.seed = 1;
  p.parameters = parameters;
  p.non_embedding_parameters = name == "c" ? 0 : parameters - 200;  // 0: unknown, a blank cell
  p.steps = 10;
  p.tokens = 5120;
  p.flops = 3.1e7;
  return p;
}

store::CheckpointWrite checkpoint(int64_t step, double flops, double validation_loss) {
  store::CheckpointWrite w;
  w.checkpoint = {step, step * 512, flops, 2.5 + 1.0 / double(step), validation_loss};
  w.metrics.push_back({"add(digits=2)", "exact_match", 0.25 + 0.01 * double(step), 0.1, 0.4, 0.05,
                       100, std::nan(""), false});
  w.metrics.push_back({"add(digits=2)", "brier", std::nan(""), std::nan(""), std::nan(""),
                       std::nan(""), 0, 0.5, true});  // no value: no row
  w.metrics.push_back({"kb", "mc_grade", 0.625, 0.5, 0.7, std::nan(""), 0, 0.25, false});
  return w;
}

// Runs a, b, c completed (c without a validation loss, so its training loss stands in), d failed:
// what a sweep leaves.
fs::path sweep_database(const std::string& name) {
  const fs::path path = fresh(name);
  store::Database db(path);
  store::RunStore store(db);
  const std::pair<const char*, int64_t> runs[] = {
      {"a", 1000}, {"b", 4000}, {"c", 16000}, {"d", 64000}};
  for (const auto& [run, parameters] : runs) store.add_planned_run(planned(run, parameters, 2));
  while (auto run = store.claim_next_run("w", "test", "{}")) {
    const bool c = run->plan.name == "c";
    store.write_checkpoint(run->id, "w", checkpoint(5, 1.5e7, 2.9));
    store.write_checkpoint(run->id, "w", checkpoint(10, 3.1e7, c ? std::nan("") : 2.55));
    const bool failed = run->plan.name == "d";
    store.finish_run(run->id, "w", !failed, failed ? "diverged" : "", 2.6, {});
  }
  return path;
}

void expect_same(double a, double b, const std::string& what) {
  if (std::isnan(a) || std::isnan(b))
    EXPECT_TRUE(std::isnan(a) && std::isnan(b)) << what << ": " << a << " vs " << b;
  else
    EXPECT_EQ(a, b) << what;
}

TEST(ResultSet, FinalMeasurementsEqualTheExportedCsvParsedBack) {
  const fs::path path = sweep_database("measurements");
  store::Database db(path);
  std::stringstream csv;
  store::export_csv(db, csv, {.final_only = true, .include_failed = false});
  const analysis::MeasurementTable parsed = imports::parse_measurements_csv(csv, path.string());
  const analysis::MeasurementTable typed = final_measurements(load_results(db));
  // a, b, c: a loss row and two metric rows each; d failed.
  ASSERT_EQ(typed.rows.size(), 9u);
  ASSERT_EQ(typed.rows.size(), parsed.rows.size());
  for (size_t i = 0; i < typed.rows.size(); ++i) {
    const analysis::Measurement &t = typed.rows[i], &p = parsed.rows[i];
    const std::string row = fmt::format("row {} ({} {} {})", i, t.model, t.task, t.metric);
    EXPECT_EQ(t.model, p.model) << row;
    EXPECT_EQ(t.task, p.task) << row;
    EXPECT_EQ(t.metric, p.metric) << row;
    expect_same(t.params, p.params, row + " params");
    expect_same(t.non_embedding_params, p.non_embedding_params, row + " non-embedding");
    expect_same(t.tokens, p.tokens, row + " tokens");
    expect_same(t.flops, p.flops, row + " flops");
    expect_same(t.step, p.step, row + " step");
    expect_same(t.loss, p.loss, row + " loss");
    expect_same(t.value, p.value, row + " value");
    expect_same(t.stderr_value, p.stderr_value, row + " stderr");
    expect_same(t.n, p.n, row + " n");
  }
  // c: the training loss (2.5 + 1/10) stands in for the missing validation loss.
  EXPECT_EQ(typed.rows[6].model, "c");
  EXPECT_DOUBLE_EQ(typed.rows[6].loss, 2.6);
  EXPECT_DOUBLE_EQ(typed.rows[3].loss, 2.55);  // b's validation loss
}

TEST(ResultSet, ReadsEachRunsArchitectureOnceAndNamesTheRunWhenItCannot) {
  const fs::path path = sweep_database("architecture");
  {
    store::Database db(path);
    store::RunStore store(db);
    store::PlannedRun broken = planned("broken", 500, 2);
    broken.config_json = R"({"model":{"width":32}})";
    store.add_planned_run(broken);
  }
  store::Database db(path);
  const ResultSet results = load_results(db);
  ASSERT_EQ(results.runs.size(), 5u);
  EXPECT_EQ(results.runs[0].shape().layers, 2);
  EXPECT_EQ(results.runs[0].shape().mlp_width, 128);
  const std::string message = emlab::testing::error_message([&] { (void)results.runs[4].shape(); });
  EXPECT_NE(message.find("run 'broken'"), std::string::npos) << message;
  EXPECT_NE(message.find("model.layers is missing"), std::string::npos) << message;
  EXPECT_NE(message.find(path.string()), std::string::npos) << message;
  EXPECT_NE(emlab::testing::error_message([] {
              (void)read_architecture("not json");
            }).find("not valid JSON"),
            std::string::npos);
}

TEST(DepthSummary, CountsKSolvedOnlyWhileEverySmallerKIsSolved) {
  ResultSet results;
  // 1 layer solves k = 1; 2 layers solve k = 1, 3 but miss k = 2; 3 layers solve k = 1..3 with at
  // most 5% error.
  const std::vector<std::vector<double>> accuracy = {
      {0.96, 0.4, 0.3}, {0.99, 0.90, 0.99}, {0.951, 0.97, 0.96}};
  for (int layers = 1; layers <= 3; ++layers) {
    RunResults run = testing::completed_run(fmt::format("L{}", layers), 1e5, 1e6, 2.0);
    run.architecture = Architecture{.layers = layers};
    for (int k = 1; k <= 3; ++k)
      testing::add_final_metric(run, fmt::format("hop(k={})", k), "exact_match",
                                accuracy[size_t(layers - 1)][size_t(k - 1)], false);
    results.runs.push_back(run);
  }
  const DepthSetting setting = evaluated_depth_setting(results);
  ASSERT_EQ(setting.tasks, (std::vector<std::string>{"hop(k=1)", "hop(k=2)", "hop(k=3)"}));
  const std::vector<DepthRow> rows = depth_staircase(results, setting);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].largest_k, 1);
  EXPECT_EQ(rows[1].largest_k, 1);
  EXPECT_EQ(rows[2].largest_k, 3);
  EXPECT_DOUBLE_EQ(rows[1].accuracy[1], 0.90);
  EXPECT_EQ(hop_k("hop(length=24, k=12)"), 12);
  EXPECT_EQ(hop_k("hop(k = 3)"), 3);
  EXPECT_EQ(hop_k("hop(block=3)"), -1);
  EXPECT_EQ(hop_k("hop(k=)"), -1);
  EXPECT_EQ(hop_k("add(digits=2)"), -1);
}

TEST(DepthSummary, ReadsTheHopProbeFromKZeroAndLeavesTheControlOutOfTheStaircase) {
  ResultSet results;
  // k = 0..2 per depth: 1 layer misses k = 0 (a control, not counted) and solves k = 1; 2 layers
  // solve k = 1, 2. A hop task evaluated beside the probe is ignored: the probe comes first.
  const std::vector<std::vector<double>> accuracy = {{0.5, 0.97, 0.4}, {1.0, 0.99, 0.96}};
  for (int layers = 1; layers <= 2; ++layers) {
    RunResults run = testing::completed_run(fmt::format("L{}", layers), 1e5, 1e6, 2.0);
    run.architecture = Architecture{.layers = layers};
    for (int k = 0; k <= 2; ++k)
      run.checkpoints.back().probes.push_back(
          {probe::hop_accuracy_score(k), -1, -1, accuracy[size_t(layers - 1)][size_t(k)], 7});
    testing::add_final_metric(run, "hop(k=1)", "exact_match", 0.2, false);
    results.runs.push_back(run);
  }
  const DepthSetting setting = evaluated_depth_setting(results);
  EXPECT_TRUE(setting.from_probes());
  EXPECT_EQ(setting.ks(), (std::vector<int>{0, 1, 2}));
  const std::vector<DepthRow> rows = depth_staircase(results, setting);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].largest_k, 1);
  EXPECT_EQ(rows[1].largest_k, 2);
  EXPECT_DOUBLE_EQ(rows[0].accuracy[0], 0.5);
  EXPECT_EQ(evaluated_depth_setting(ResultSet{}).max_hops, -1);  // nothing to show
}

}  // namespace
}  // namespace emlab::results
