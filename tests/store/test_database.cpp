// The results database file: created and migrated on open, refused when newer or not a database,
// read-only files refused for writing, and transactions all-or-nothing.
#include <gtest/gtest.h>

#include <array>
#include <filesystem>
#include <fstream>

#include "store/database.hpp"
#include "store/run_store.hpp"
#include "store/statement.hpp"
#include "store/verdict_store.hpp"
#include "support/error_message.hpp"

namespace emlab::store {
namespace {

namespace fs = std::filesystem;

fs::path fresh(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("emlab_store_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir / "study.sqlite";
}

int64_t count(Database& db, const std::string& table) {
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db.handle(), ("SELECT COUNT(*) FROM " + table).c_str(), -1, &stmt, nullptr);
  sqlite3_step(stmt);
  const int64_t n = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  return n;
}

const char* kRun =
    "INSERT INTO runs (name, config_json, seed, code_version, machine_json, parameters, "
    "non_embedding_parameters, status) VALUES ('r1', '{}', 1, 'v', '{}', 10, 5, 'completed')";

TEST(Database, CreatesAndMigratesToTheCurrentSchema) {
  const fs::path path = fresh("create");
  {
    Database db(path);
    EXPECT_EQ(db.schema_version(), Database::current_schema_version());
    db.execute(kRun);
  }
  Database again(path);  // reopening migrates nothing and keeps the rows
  EXPECT_EQ(count(again, "runs"), 1);
  EXPECT_EQ(count(again, "metrics"), 0);
}

TEST(Database, RefusesANewerSchemaAndNonDatabases) {
  const fs::path path = fresh("newer");
  {
    Database db(path);
    db.execute("PRAGMA user_version = 99");
  }
  EXPECT_NE(testing::error_message([&] {
              Database db(path);
            }).find("schema version 99 was written by a newer emlab"),
            std::string::npos);
  const fs::path junk = fresh("junk");
  std::ofstream(junk) << "definitely not an SQLite file, but long enough to have a header......";
  const std::string message = testing::error_message([&] { Database db(junk); });
  EXPECT_NE(message.find(junk.string()), std::string::npos) << message;
  EXPECT_NE(message.find("not a database"), std::string::npos) << message;
}

TEST(Database, ReadOnlyModeCannotWrite) {
  const fs::path path = fresh("readonly_mode");
  { Database db(path); }
  Database reader(path, Database::Mode::kReadOnly);
  const std::string message = testing::error_message([&] { reader.execute(kRun); });
  EXPECT_NE(message.find("readonly"), std::string::npos) << message;
  EXPECT_EQ(count(reader, "runs"), 0);
}

TEST(Database, TransactionsAreAllOrNothing) {
  const fs::path path = fresh("tx");
  Database db(path);
  {
    Database::Transaction tx(db);
    db.execute(kRun);
    // no commit: the destructor rolls back, as after an exception mid-write
  }
  EXPECT_EQ(count(db, "runs"), 0);
  {
    Database::Transaction tx(db);
    db.execute(kRun);
    tx.commit();
  }
  EXPECT_EQ(count(db, "runs"), 1);
  EXPECT_NE(testing::error_message([&] { db.execute(kRun); }).find("UNIQUE"), std::string::npos);
}

TEST(Database, VerdictsAreStoredReplacedAndReadBack) {
  const fs::path path = fresh("verdicts");
  Database db(path);
  VerdictStore store(db);
  VerdictRow v{"mirage",
               "claim",
               "predicts",
               "held",
               "rule",
               R"([{"name":"a","value":1}])",
               R"({"held_if":[]})",
               "small",
               "emergence",
               "v1",
               R"({"power":0.9,"false_positive_rate":0.05})",
               "mirage-small.html",
               12.5,
               1.7e9,
               "",
               ""};
  store.write(v);
  v.verdict = "did not hold";  // a second run of the same study replaces the first
  store.write(v);
  const auto rows = store.verdicts();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].verdict, "did not hold");
  EXPECT_EQ(rows[0].measurements_json, v.measurements_json);
  EXPECT_EQ(rows[0].seconds, 12.5);
  EXPECT_EQ(rows[0].power_json, v.power_json);
  EXPECT_EQ(rows[0].evidence, "mirage-small.html");
  v.verdict = "maybe";  // the schema allows only the three verdicts
  EXPECT_NE(testing::error_message([&] { store.write(v); }).find("CHECK"), std::string::npos);
}

// A control's verdict against what it must say: inconclusive decides nothing either way.
TEST(Database, AControlsOutcomeFollowsItsKindAndVerdict) {
  const std::vector<std::array<std::string, 3>> cases = {
      {"", "held", ""},  // a study of a claim
      {"positive", "held", "as it must"},
      {"positive", "did not hold", "the opposite of what it must"},
      {"positive", "inconclusive", "decided nothing"},
      {"negative", "did not hold", "as it must"},
      {"negative", "held", "the opposite of what it must"},
      {"negative", "inconclusive", "decided nothing"},
  };
  for (const auto& [control, verdict, outcome] : cases) {
    VerdictRow v;
    v.control = control;
    v.verdict = verdict;
    EXPECT_EQ(control_outcome(v), outcome) << control << " " << verdict;
  }
}

// A failed positive control undermines its study's "did not hold", a failed negative one its
// "held"; a control that came out as it must, or a verdict it does not bear on, gets no caveat.
TEST(Database, AFailedControlQualifiesOnlyTheVerdictItCouldHaveChecked) {
  auto row = [](const std::string& control, const std::string& verdict) {
    VerdictRow v;
    v.control = control;
    v.verdict = verdict;
    return v;
  };
  const VerdictRow failed = row("", "did not hold"), held = row("", "held");
  EXPECT_NE(control_caveat(failed, row("positive", "did not hold")).find("cannot tell"),
            std::string::npos);
  EXPECT_NE(control_caveat(failed, row("positive", "inconclusive")), "");
  EXPECT_EQ(control_caveat(failed, row("positive", "held")), "");
  EXPECT_EQ(control_caveat(held, row("positive", "did not hold")), "");
  EXPECT_NE(control_caveat(held, row("negative", "held")).find("may come from the test"),
            std::string::npos);
  EXPECT_EQ(control_caveat(held, row("negative", "did not hold")), "");
  EXPECT_EQ(control_caveat(failed, row("negative", "held")), "");
}

TEST(Database, AVersion3FileGainsTheVerdictsImportAndProbeTablesAndKeepsItsRows) {
  const fs::path path = fresh("upgrade3");
  {
    Database db(path);
    db.execute(kRun);
    db.execute(
        "DROP TABLE verdicts; DROP TABLE import_sources; DROP TABLE probe_scores; "
        "ALTER TABLE runs DROP COLUMN family; "
        "ALTER TABLE metrics DROP COLUMN source_id; ALTER TABLE runs DROP COLUMN tokens_known; "
        "ALTER TABLE runs DROP COLUMN flops_known; PRAGMA user_version = 3");
  }
  Database db(path, Database::Mode::kReadOnly);  // a reader upgrades it first
  EXPECT_EQ(db.schema_version(), Database::current_schema_version());
  EXPECT_EQ(count(db, "runs"), 1);
  EXPECT_EQ(count(db, "verdicts"), 0);
  EXPECT_EQ(count(db, "import_sources"), 0);
  EXPECT_EQ(count(db, "probe_scores"), 0);
}

TEST(Database, AVersion6FileKeepsItsVerdictsWithNoPowerSimulated) {
  const fs::path path = fresh("upgrade6");
  {
    Database db(path);
    VerdictRow v;
    v.study = "mirage";
    v.verdict = "held";
    v.created = 1.7e9;
    VerdictStore(db).write(v);
    db.execute(
        "ALTER TABLE verdicts DROP COLUMN power_json; ALTER TABLE verdicts DROP COLUMN evidence; "
        "ALTER TABLE verdicts DROP COLUMN control; ALTER TABLE verdicts DROP COLUMN control_for; "
        "ALTER TABLE runs DROP COLUMN tokens_known; ALTER TABLE runs DROP COLUMN flops_known; "
        "ALTER TABLE import_sources DROP COLUMN incomplete; PRAGMA user_version = 6");
  }
  Database db(path);
  EXPECT_EQ(db.schema_version(), Database::current_schema_version());
  const auto rows = VerdictStore(db).verdicts();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].study, "mirage");
  EXPECT_EQ(rows[0].power_json, "{}");
  EXPECT_EQ(rows[0].evidence, "");
}

TEST(Database, AVersion7FileKeepsItsVerdictsAsStudiesOfClaims) {
  const fs::path path = fresh("upgrade7");
  {
    Database db(path);
    VerdictRow v;
    v.study = "induction-markov";
    v.verdict = "held";
    v.control = "positive";
    v.control_for = "induction";
    VerdictStore(db).write(v);
    v.study = "mirage";
    v.control = v.control_for = "";
    VerdictStore(db).write(v);
    const auto both = VerdictStore(db).verdicts();
    ASSERT_EQ(both.size(), 2u);
    EXPECT_EQ(both[0].control, "positive");
    EXPECT_EQ(both[0].control_for, "induction");
    v.control = "maybe";  // only positive or negative controls
    EXPECT_NE(testing::error_message([&] { VerdictStore(db).write(v); }).find("CHECK"),
              std::string::npos);
    db.execute(
        "DELETE FROM verdicts WHERE study = 'induction-markov'; ALTER TABLE verdicts DROP COLUMN "
        "control; ALTER TABLE verdicts DROP COLUMN control_for; ALTER TABLE runs DROP COLUMN "
        "tokens_known; ALTER TABLE runs DROP COLUMN flops_known; ALTER TABLE import_sources "
        "DROP COLUMN incomplete; PRAGMA user_version = 7");
  }
  Database db(path);
  EXPECT_EQ(db.schema_version(), Database::current_schema_version());
  const auto rows = VerdictStore(db).verdicts();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].study, "mirage");
  EXPECT_EQ(rows[0].control, "");
  EXPECT_EQ(rows[0].control_for, "");
}

TEST(Database, AVersion8FileKnowsTheTokensAndFlopsOfItsRuns) {
  // Before tables with holes every stored run knew its tokens and FLOPs.
  const fs::path path = fresh("upgrade8");
  {
    Database db(path);
    db.execute(kRun);
    db.execute(
        "ALTER TABLE runs DROP COLUMN tokens_known; ALTER TABLE runs DROP COLUMN flops_known; "
        "ALTER TABLE import_sources DROP COLUMN incomplete; PRAGMA user_version = 8");
  }
  Database db(path);
  EXPECT_EQ(db.schema_version(), Database::current_schema_version());
  const auto runs = RunStore(db).runs();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_TRUE(runs[0].tokens_known);
  EXPECT_TRUE(runs[0].flops_known);
  EXPECT_EQ(count(db, "import_sources"), 0);
}

TEST(Database, ABindPastTheStatementsPlaceholdersIsAnError) {
  Database db(fresh("bind"));
  Statement s(db, "SELECT ?, ?");
  s.bind(1, int64_t{1}).bind(2, 2.0);
  const std::string message = testing::error_message([&] { s.bind(3, std::string_view("x")); });
  EXPECT_NE(message.find("cannot bind parameter 3 of 'SELECT ?, ?'"), std::string::npos) << message;
}

TEST(Database, LockedByAnotherWriterFailsClearly) {
  const fs::path path = fresh("locked");
  Database holder(path);
  Database::Transaction held(holder);
  holder.execute(kRun);
  Database other(path, Database::Mode::kReadWrite, 50);
  const std::string message = testing::error_message([&] { Database::Transaction tx(other); });
  EXPECT_NE(message.find(path.string()), std::string::npos) << message;
  EXPECT_NE(message.find("locked"), std::string::npos) << message;
}

}  // namespace
}  // namespace emlab::store
