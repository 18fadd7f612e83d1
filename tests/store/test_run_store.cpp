// Typed run storage: planning is idempotent and refuses changed plans, claiming hands each run to
// one worker, writes from a worker that lost its run are refused, a checkpoint is stored whole or
// not at all (a full disk leaves earlier results intact), and an old schema is migrated in place.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <sstream>

#include "store/export.hpp"
#include "store/run_store.hpp"
#include "store/statement.hpp"
#include "support/error_message.hpp"

namespace emlab::store {
namespace {

namespace fs = std::filesystem;

fs::path fresh(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("emlab_run_store_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir / "study.sqlite";
}

PlannedRun planned(const std::string& name) {
  PlannedRun p;
  p.name = name;
  p.config_json = R"({"model":{"width":32}})";
  p.schedule_json = R"({"checkpoint_steps":[5,10]})";
  p.seed = 1;
  p.parameters = 1000;
  p.non_embedding_parameters = 800;
  p.steps = 10;
  p.tokens = 5120;
  p.flops = 3.1e7;
  return p;
}

CheckpointWrite checkpoint_at(int64_t step, int examples) {
  CheckpointWrite w;
  w.checkpoint = {step, step * 512, double(step) * 3.1e6, 2.5, 2.75};
  for (int64_t s = step - 5; s < step; ++s) w.step_losses.emplace_back(s, 3.0 - 0.01 * double(s));
  for (int i = 0; i < examples; ++i)
    w.examples.push_back({"add(digits=2)", i, std::string(200, 'x')});
  w.metrics.push_back(
      {"add(digits=2)", "exact_match", 0.25, 0.1, 0.4, 0.05, examples, std::nan(""), false});
  w.metrics.push_back({"add(digits=2)", "brier", std::nan(""), std::nan(""), std::nan(""),
                       std::nan(""), 0, 0.5, true});
  return w;
}

int64_t count(Database& db, const std::string& table) {
  Statement s(db, "SELECT COUNT(*) FROM " + table);
  s.step();
  return s.integer(0);
}

TEST(RunStore, PlanningIsIdempotentAndRefusesAChangedPlan) {
  const fs::path path = fresh("plan");
  Database db(path);
  RunStore store(db);
  EXPECT_TRUE(store.add_planned_run(planned("a")));
  EXPECT_FALSE(store.add_planned_run(planned("a")));
  EXPECT_EQ(count(db, "runs"), 1);
  PlannedRun changed = planned("a");
  changed.config_json = R"({"model":{"width":64}})";
  EXPECT_NE(testing::error_message([&] {
              store.add_planned_run(changed);
            }).find("run 'a' is stored with a different training config"),
            std::string::npos);
  changed = planned("a");
  changed.schedule_json = "{}";
  EXPECT_NE(testing::error_message([&] {
              store.add_planned_run(changed);
            }).find("different checkpoint/evaluation schedule"),
            std::string::npos);
}

TEST(RunStore, ClaimsEachRunOnceAndRefusesWritesFromAWorkerThatLostIt) {
  const fs::path path = fresh("claim");
  Database db(path);
  RunStore store(db);
  store.add_planned_run(planned("a"));
  store.add_planned_run(planned("b"));
  const auto first = store.claim_next_run("w1", "v", "{}");
  const auto second = store.claim_next_run("w2", "v", "{}");
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->plan.name, "a");
  EXPECT_EQ(second->plan.name, "b");
  EXPECT_FALSE(store.claim_next_run("w3", "v", "{}"));

  // A restarted sweep takes the runs back; the old worker's writes are then refused.
  EXPECT_EQ(store.reset_interrupted_runs(), 2);
  const auto again = store.claim_next_run("w4", "v", "{}");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->attempts, 2);
  EXPECT_THROW(store.write_checkpoint(first->id, "w1", checkpoint_at(5, 3)), RunLost);
  EXPECT_THROW(store.update_progress(first->id, "w1", 3, 1.0, 10, 1), RunLost);
  EXPECT_EQ(count(db, "checkpoints"), 0);

  store.write_checkpoint(again->id, "w4", checkpoint_at(5, 3));
  store.finish_run(again->id, "w4", true, "", 1.5, {1.0, 2.0, 3.0});
  const auto row = store.run(again->id);
  EXPECT_EQ(row->status, "completed");
  EXPECT_EQ(row->checkpoints_done, 1);
  EXPECT_DOUBLE_EQ(row->final_loss, 1.5);
  EXPECT_DOUBLE_EQ(row->eval_seconds, 2.0);
  EXPECT_EQ(store.checkpoint_steps(again->id), std::vector<int64_t>{5});
  const auto metrics = store.metrics(again->id, 5);
  ASSERT_EQ(metrics.size(), 2u);
  EXPECT_TRUE(std::isnan(metrics[1].value));  // undefined values round-trip as NULL
  EXPECT_TRUE(std::isnan(metrics[0].chance));
  EXPECT_FALSE(metrics[0].continuous);
  EXPECT_EQ(metrics[1].chance, 0.5);
  EXPECT_TRUE(metrics[1].continuous);
  EXPECT_EQ(store.step_losses(again->id).size(), 5u);

  store.fail_runs_of_worker("w4", "unused");  // finished runs are not touched
  EXPECT_EQ(store.run(again->id)->status, "completed");
}

TEST(RunStore, ClaimsLongestFirstAndOnlyRunsOfTheCurrentPlan) {
  const fs::path path = fresh("order");
  Database db(path);
  RunStore store(db);
  PlannedRun small = planned("small"), big = planned("big"), dropped = planned("dropped");
  big.flops = 9e9;
  dropped.flops = 1e12;
  store.add_planned_run(small);
  store.add_planned_run(big);
  store.add_planned_run(dropped);
  store.set_meta("plan", R"(["small", "big"])");  // a later config no longer lists "dropped"
  EXPECT_EQ(store.claim_next_run("w", "v", "{}")->plan.name, "big");
  EXPECT_EQ(store.claim_next_run("w", "v", "{}")->plan.name, "small");
  EXPECT_FALSE(store.claim_next_run("w", "v", "{}"));
  EXPECT_EQ(store.runs().size(), 3u);  // kept, only not trained
}

TEST(RunStore, AFullDiskLeavesEveryStoredCheckpointIntact) {
  const fs::path path = fresh("full");
  {
    Database db(path);
    RunStore store(db);
    store.add_planned_run(planned("a"));
    const auto run = store.claim_next_run("w", "v", "{}");
    store.write_checkpoint(run->id, "w", checkpoint_at(5, 10));
    // The disk "fills": SQLite may not grow the file past its current size.
    Statement pages(db, "PRAGMA page_count");
    pages.step();
    db.execute("PRAGMA max_page_count = " + std::to_string(pages.integer(0)));
    const std::string message = testing::error_message(
        [&] { store.write_checkpoint(run->id, "w", checkpoint_at(10, 400)); });
    EXPECT_NE(message.find("full"), std::string::npos) << message;
    EXPECT_NE(message.find(path.string()), std::string::npos) << message;
  }
  Database db(path);
  RunStore store(db);
  Statement check(db, "PRAGMA integrity_check");
  ASSERT_TRUE(check.step());
  EXPECT_EQ(check.text(0), "ok");
  EXPECT_EQ(store.checkpoint_steps(1), std::vector<int64_t>{5});  // nothing half-written
  EXPECT_EQ(count(db, "example_records"), 10);
  EXPECT_EQ(count(db, "metrics"), 2);
}

TEST(RunStore, MigratesAVersionOneDatabaseInPlace) {
  const fs::path path = fresh("migrate");
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
    const char* v1 =
        "CREATE TABLE runs (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, config_json TEXT "
        "NOT NULL, seed INTEGER NOT NULL, code_version TEXT NOT NULL, machine_json TEXT NOT NULL, "
        "parameters INTEGER NOT NULL, non_embedding_parameters INTEGER NOT NULL, status TEXT NOT "
        "NULL, reason TEXT NOT NULL DEFAULT '');"
        "CREATE TABLE checkpoints (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, step INTEGER "
        "NOT NULL, tokens INTEGER NOT NULL, flops REAL NOT NULL, train_loss REAL, validation_loss "
        "REAL, UNIQUE (run_id, step));"
        "CREATE TABLE example_records (checkpoint_id INTEGER NOT NULL, task TEXT NOT NULL, "
        "example INTEGER NOT NULL, record_json TEXT NOT NULL, PRIMARY KEY (checkpoint_id, task, "
        "example));"
        "CREATE TABLE metrics (checkpoint_id INTEGER NOT NULL, task TEXT NOT NULL, metric TEXT NOT "
        "NULL, value REAL, lower REAL, upper REAL, stderr REAL, n INTEGER NOT NULL, PRIMARY KEY "
        "(checkpoint_id, task, metric));"
        "INSERT INTO runs VALUES (1, 'old', '{}', 3, 'v0', '{}', 10, 5, 'completed', '');"
        "PRAGMA user_version = 1;";
    ASSERT_EQ(sqlite3_exec(raw, v1, nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(raw);
  }
  Database db(path);
  EXPECT_EQ(db.schema_version(), Database::current_schema_version());
  RunStore store(db);
  const auto runs = store.runs();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].plan.name, "old");
  EXPECT_EQ(runs[0].status, "completed");
  EXPECT_EQ(runs[0].plan.schedule_json, "{}");
}

TEST(RunStore, MeanAnswerTokensComeFromTheFirstCheckpointsRecords) {
  const fs::path path = fresh("answer_tokens");
  Database db(path);
  RunStore store(db);
  store.add_planned_run(planned("r"));
  const auto run = store.claim_next_run("w", "v", "{}");
  CheckpointWrite first = checkpoint_at(5, 0);
  first.examples = {{"add", 0, R"({"target":[1,2,3],"output":[1]})"},
                    {"add", 1, R"({"target":[1,2,3,4,5],"output":[]})"},
                    {"kb", 0, R"({"choices":[[1],[2]],"answer":0})"}};  // no target
  store.write_checkpoint(run->id, "w", first);
  CheckpointWrite later = checkpoint_at(10, 0);  // other lengths: must not count
  later.examples = {{"add", 0, R"({"target":[1],"output":[1]})"}};
  store.write_checkpoint(run->id, "w", later);
  const auto lengths = store.mean_answer_tokens();
  ASSERT_EQ(lengths.size(), 1u);
  EXPECT_DOUBLE_EQ(lengths.at("add"), 4.0);
}

// An imported evaluation is told from our own runs by its config, the import's description (as
// src/imports/import_store.cpp writes it), not by its code version.
TEST(RunStore, ImportedRunsAreRecognisedByTheirConfig) {
  Database db(fresh("imported"));
  RunStore store(db);
  store.add_planned_run(planned("ours"));
  PlannedRun imported = planned("pythia-70m");
  imported.config_json = R"({"family":"pythia","imported":{"format":"csv","model":"p"}})";
  store.add_planned_run(imported);
  PlannedRun odd = planned("odd");
  odd.config_json = "not json";  // never written by emlab; read as not imported, not an error
  store.add_planned_run(odd);
  const auto runs = store.runs();
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_FALSE(runs[0].imported);
  EXPECT_TRUE(runs[1].imported);
  EXPECT_FALSE(runs[2].imported);
  EXPECT_TRUE(store.run(runs[1].id)->imported);
}

TEST(Export, CsvHasOneLossRowAndOneRowPerDefinedMetricPerCheckpoint) {
  const fs::path path = fresh("export");
  Database db(path);
  RunStore store(db);
  store.add_planned_run(planned("a,b"));  // a name that needs quoting
  const auto run = store.claim_next_run("w", "v", R"({"host":"h"})");
  store.write_checkpoint(run->id, "w", checkpoint_at(5, 2));
  store.write_checkpoint(run->id, "w", checkpoint_at(10, 2));
  store.finish_run(run->id, "w", true, "", 2.5, {});
  std::ostringstream csv;
  export_csv(db, csv);
  EXPECT_EQ(csv.str(),
            "model,params,non_embedding_params,tokens,flops,step,loss,task,metric,value,stderr,n\n"
            "\"a,b\",1000,800,2560,15500000,5,2.75,,,,,\n"
            "\"a,b\",1000,800,2560,15500000,5,2.75,add(digits=2),exact_match,0.25,0.05,2\n"
            "\"a,b\",1000,800,5120,31000000,10,2.75,,,,,\n"
            "\"a,b\",1000,800,5120,31000000,10,2.75,add(digits=2),exact_match,0.25,0.05,2\n");
  std::ostringstream final_only;
  export_csv(db, final_only, {.final_only = true});
  const std::string last = final_only.str();
  EXPECT_EQ(std::count(last.begin(), last.end(), '\n'), 3);
  std::ostringstream json;
  export_json(db, json);
  EXPECT_NE(json.str().find("\"validation_loss\": 2.75"), std::string::npos);
  EXPECT_NE(json.str().find("\"host\": \"h\""), std::string::npos);
}

TEST(RunStore, ProbeScoresAreStoredReadBackAndExported) {
  const fs::path path = fresh("probes");
  Database db(path);
  RunStore store(db);
  store.add_planned_run(planned("p"));
  const auto run = store.claim_next_run("w", "v", "{}");
  CheckpointWrite w = checkpoint_at(5, 1);
  w.probes = {{"induction", 1, 2, 0.875, 7},
              {"induction", 0, 0, 0.0625, 7},
              {"icl_score", -1, -1, -0.25, 7},
              {"copying", 1, 3, std::nan(""), 7}};
  store.write_checkpoint(run->id, "w", w);
  store.write_checkpoint(run->id, "w", checkpoint_at(10, 1));  // a checkpoint without probes
  const auto back = store.probe_scores(run->id, 5);
  ASSERT_EQ(back.size(), 4u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(back[i], w.probes[i]);
  EXPECT_TRUE(std::isnan(back[3].value));  // an undefined score stays undefined
  EXPECT_TRUE(store.probe_scores(run->id, 10).empty());
  std::ostringstream csv;
  export_probes_csv(db, csv);
  EXPECT_EQ(csv.str(),
            "model,step,tokens,probe,layer,head,value,seed\n"
            "p,5,2560,induction,1,2,0.875,7\n"
            "p,5,2560,induction,0,0,0.0625,7\n"
            "p,5,2560,icl_score,-1,-1,-0.25,7\n"
            "p,5,2560,copying,1,3,,7\n");
  std::ostringstream json;
  export_json(db, json);
  EXPECT_NE(json.str().find("\"probe\": \"icl_score\""), std::string::npos);
}

TEST(RunStore, AVersion5DatabaseGainsProbeScoresAndKeepsEverything) {
  const fs::path path = fresh("upgrade5");
  {
    Database db(path);
    RunStore store(db);
    store.add_planned_run(planned("old"));
    const auto run = store.claim_next_run("w", "v", "{}");
    store.write_checkpoint(run->id, "w", checkpoint_at(5, 3));
    db.execute(
        "DROP TABLE probe_scores; ALTER TABLE verdicts DROP COLUMN power_json; "
        "ALTER TABLE verdicts DROP COLUMN evidence; ALTER TABLE verdicts DROP COLUMN control; "
        "ALTER TABLE verdicts DROP COLUMN control_for; ALTER TABLE runs DROP COLUMN tokens_known; "
        "ALTER TABLE runs DROP COLUMN flops_known; ALTER TABLE import_sources DROP COLUMN "
        "incomplete; PRAGMA user_version = 5");
  }
  Database db(path);
  EXPECT_EQ(db.schema_version(), Database::current_schema_version());
  EXPECT_EQ(count(db, "runs"), 1);
  EXPECT_EQ(count(db, "checkpoints"), 1);
  EXPECT_EQ(count(db, "metrics"), 2);
  EXPECT_EQ(count(db, "example_records"), 3);
  EXPECT_EQ(count(db, "step_losses"), 5);
  EXPECT_EQ(count(db, "probe_scores"), 0);
  RunStore store(db);
  EXPECT_EQ(store.metrics(store.runs()[0].id, 5)[0].value, 0.25);
}

}  // namespace
}  // namespace emlab::store
