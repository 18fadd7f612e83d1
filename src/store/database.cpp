#include "store/database.hpp"

#include <array>
#include <chrono>
#include <thread>

#include "core/error.hpp"

namespace emlab::store {

namespace {

// Migration i takes a database from user_version i to i + 1. Append, never edit: files in the
// field were built by the earlier entries.
constexpr std::array<const char*, 9> kMigrations = {
    // 1: runs, their checkpoints, per-example evaluation records and aggregated metrics.
    R"sql(
    CREATE TABLE runs (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      config_json TEXT NOT NULL,
      seed INTEGER NOT NULL,
      code_version TEXT NOT NULL,
      machine_json TEXT NOT NULL,
      parameters INTEGER NOT NULL,
      non_embedding_parameters INTEGER NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('planned', 'running', 'completed', 'failed')),
      reason TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE checkpoints (
      id INTEGER PRIMARY KEY,
      run_id INTEGER NOT NULL REFERENCES runs(id),
      step INTEGER NOT NULL,
      tokens INTEGER NOT NULL,
      flops REAL NOT NULL,
      train_loss REAL,
      validation_loss REAL,
      UNIQUE (run_id, step)
    );
    CREATE TABLE example_records (
      checkpoint_id INTEGER NOT NULL REFERENCES checkpoints(id),
      task TEXT NOT NULL,
      example INTEGER NOT NULL,
      record_json TEXT NOT NULL,
      PRIMARY KEY (checkpoint_id, task, example)
    );
    CREATE TABLE metrics (
      checkpoint_id INTEGER NOT NULL REFERENCES checkpoints(id),
      task TEXT NOT NULL,
      metric TEXT NOT NULL,
      value REAL,
      lower REAL,
      upper REAL,
      stderr REAL,
      n INTEGER NOT NULL,
      PRIMARY KEY (checkpoint_id, task, metric)
    );
    )sql",
    // 2: sweeps. What each run plans (steps, tokens, checkpoint schedule), who runs it, its live
    // progress, where its time went; the loss of every training step; the sweep's own settings.
    R"sql(
    ALTER TABLE runs ADD COLUMN schedule_json TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE runs ADD COLUMN steps_planned INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE runs ADD COLUMN tokens_planned INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE runs ADD COLUMN flops_planned REAL NOT NULL DEFAULT 0;
    ALTER TABLE runs ADD COLUMN worker TEXT NOT NULL DEFAULT '';
    ALTER TABLE runs ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE runs ADD COLUMN progress_step INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE runs ADD COLUMN progress_loss REAL;
    ALTER TABLE runs ADD COLUMN tokens_per_second REAL;
    ALTER TABLE runs ADD COLUMN eta_seconds REAL;
    ALTER TABLE runs ADD COLUMN heartbeat REAL;
    ALTER TABLE runs ADD COLUMN train_seconds REAL NOT NULL DEFAULT 0;
    ALTER TABLE runs ADD COLUMN eval_seconds REAL NOT NULL DEFAULT 0;
    ALTER TABLE runs ADD COLUMN write_seconds REAL NOT NULL DEFAULT 0;
    ALTER TABLE runs ADD COLUMN final_loss REAL;
    CREATE TABLE step_losses (
      run_id INTEGER NOT NULL REFERENCES runs(id),
      step INTEGER NOT NULL,
      loss REAL NOT NULL,
      PRIMARY KEY (run_id, step)
    );
    CREATE TABLE sweep_meta (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
    )sql",
    // 3: what a metric's value means for the report: its chance level (NULL where the answer
    // space is open) and whether it is continuous in the model's probabilities (0 for 0/1
    // outcomes such as exact match: the metrics a mirage can come from).
    R"sql(
    ALTER TABLE metrics ADD COLUMN chance REAL;
    ALTER TABLE metrics ADD COLUMN continuous INTEGER NOT NULL DEFAULT 1;
    )sql",
    // 4: the verdict of each study run on this database (emlab study): the claim, the rule fixed
    // before the run, the measurements behind the verdict with their intervals (JSON), and how
    // each condition of the rule came out.
    R"sql(
    CREATE TABLE verdicts (
      study TEXT PRIMARY KEY,
      claim TEXT NOT NULL,
      predicts TEXT NOT NULL,
      verdict TEXT NOT NULL CHECK (verdict IN ('held', 'did not hold', 'inconclusive')),
      rule TEXT NOT NULL,
      measurements_json TEXT NOT NULL,
      conditions_json TEXT NOT NULL,
      scale TEXT NOT NULL,
      figures TEXT NOT NULL DEFAULT '',
      code_version TEXT NOT NULL,
      seconds REAL NOT NULL DEFAULT 0,
      created REAL NOT NULL
    );
    )sql",
    // 5: evaluations imported from other tools (emlab import): each file once, by its SHA-256,
    // with its format and family; every imported metric names the file it came from, and every
    // run its model family ('' for our own runs).
    R"sql(
    CREATE TABLE import_sources (
      id INTEGER PRIMARY KEY,
      sha256 TEXT NOT NULL UNIQUE,
      format TEXT NOT NULL,
      path TEXT NOT NULL,
      family TEXT NOT NULL,
      models INTEGER NOT NULL,
      scores INTEGER NOT NULL,
      imported REAL NOT NULL
    );
    ALTER TABLE runs ADD COLUMN family TEXT NOT NULL DEFAULT '';
    ALTER TABLE metrics ADD COLUMN source_id INTEGER;  -- import_sources.id; NULL: our own
    )sql",
    // 6: what probes measured inside each checkpoint (emlab probe, a sweep's [probes]): per head
    // (layer, head), or for the whole model (both -1), with the seed of the probe batch.
    R"sql(
    CREATE TABLE probe_scores (
      checkpoint_id INTEGER NOT NULL REFERENCES checkpoints(id),
      probe TEXT NOT NULL,
      layer INTEGER NOT NULL,
      head INTEGER NOT NULL,
      value REAL,
      seed INTEGER NOT NULL,
      PRIMARY KEY (checkpoint_id, probe, layer, head)
    );
    )sql",
    // 7: with each verdict, its rule's power and false-positive rate at the study's design, from
    // simulations of the measurements with and without the effect (JSON; '{}' when not simulated),
    // and the report that shows its figures when that is another file ('': this database's own;
    // the summary of `emlab study run --all` links each study's report).
    R"sql(
    ALTER TABLE verdicts ADD COLUMN power_json TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE verdicts ADD COLUMN evidence TEXT NOT NULL DEFAULT '';
    )sql",
    // 8: control studies, which check a study's pipeline where the answer is known: "positive"
    // (must say held) or "negative" (must say did not hold), and the study each one controls.
    R"sql(
    ALTER TABLE verdicts ADD COLUMN control TEXT NOT NULL DEFAULT ''
      CHECK (control IN ('', 'positive', 'negative'));
    ALTER TABLE verdicts ADD COLUMN control_for TEXT NOT NULL DEFAULT '';
    )sql",
    // 9: tables with holes (emlab import). An imported model whose source gives no training
    // tokens or FLOPs stores 0 there, flagged unknown here (and a checkpoint of such a run reads
    // 0 tokens or FLOPs as unknown too); analyses that need the fact leave the model out. A file
    // records how many of its models were incomplete (left out for want of a parameter count,
    // --skip-incomplete, or imported with tokens or FLOPs blank), so that importing it again
    // once --meta knows more adds what is new.
    R"sql(
    ALTER TABLE runs ADD COLUMN tokens_known INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE runs ADD COLUMN flops_known INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE import_sources ADD COLUMN incomplete INTEGER NOT NULL DEFAULT 0;
    )sql",
};

}  // namespace

int Database::current_schema_version() {
  return static_cast<int>(kMigrations.size());
}

Database::Database(const std::filesystem::path& path, Mode mode, int busy_timeout_ms)
    : path_(path), busy_timeout_ms_(busy_timeout_ms) {
  const int flags =
      mode == Mode::kReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    const std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    fail("database {}: cannot open ({})", path.string(), message);
  }
  sqlite3_busy_timeout(db_, busy_timeout_ms);  // another writer: wait, then a clear error
  try {
    execute("PRAGMA foreign_keys = ON");
    const int version = schema_version();  // also the first read: "not a database" surfaces here
    require(version <= current_schema_version(),
            "database {}: schema version {} was written by a newer emlab (this one reads up to "
            "{}); upgrade emlab to read it",
            path.string(), version, current_schema_version());
    if (mode == Mode::kReadOnly && version < current_schema_version()) {
      // A reader of an older file: upgrade it first (migrations only add), then read.
      sqlite3_close(db_);
      db_ = nullptr;
      try {
        Database upgrade(path, Mode::kReadWrite, busy_timeout_ms);
      } catch (const Error& e) {
        fail(
            "database {}: schema version {} is older than this emlab's {}, and upgrading it "
            "failed: {}",
            path.string(), version, current_schema_version(), e.what());
      }
      if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
        fail("database {}: cannot open after upgrading", path.string());
      sqlite3_busy_timeout(db_, busy_timeout_ms);
    }
    if (mode == Mode::kReadWrite) {
      // Write-ahead logging: `emlab status` and the sweep's progress view read while workers
      // write, and a killed writer never leaves a half-written transaction visible.
      switch_to_wal(busy_timeout_ms);
      execute("PRAGMA synchronous = FULL");
      migrate();
    }
  } catch (...) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw;
  }
}

Database::~Database() {
  sqlite3_close(db_);
}

int Database::schema_version() const {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, "PRAGMA user_version", -1, &stmt, nullptr) != SQLITE_OK)
    fail_sqlite("reading the schema version");
  int version = 0;
  const int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) version = sqlite3_column_int(stmt, 0);
  sqlite3_finalize(stmt);
  if (rc != SQLITE_ROW) fail_sqlite("reading the schema version");
  return version;
}

void Database::execute(const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    const std::string text = (sqlite3_errcode(db_) & 0xff) == SQLITE_BUSY || message == nullptr
                                 ? last_error()
                                 : std::string(message);
    sqlite3_free(message);
    fail("database {}: {}", path_.string(), text);
  }
}

void Database::migrate() {
  if (schema_version() == current_schema_version()) return;  // the common case, no write lock
  // Read the version again under the write lock: processes that open a new file together (a
  // sweep's workers, MPI ranks) all saw 0 above, and only the first may run the migrations.
  Transaction tx(*this);
  const int from = schema_version();
  require(from <= current_schema_version(),
          "database {}: schema version {} was written by a newer emlab (this one reads up to {}); "
          "upgrade emlab to read it",
          path_.string(), from, current_schema_version());
  for (int v = from; v < current_schema_version(); ++v)
    execute(kMigrations[static_cast<size_t>(v)]);
  execute("PRAGMA user_version = " + std::to_string(current_schema_version()));
  tx.commit();
}

void Database::switch_to_wal(int busy_timeout_ms) {
  // Changing the journal mode takes a shared lock and then an exclusive one. Two processes doing
  // so on one new file at once would deadlock, so SQLite fails one of them with SQLITE_BUSY at
  // once, without its busy handler; the statement has then released its locks, and trying again
  // is how SQLite means that to be handled. Retry within the busy timeout.
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms);
  for (int attempt = 0;; ++attempt) {
    const int rc = sqlite3_exec(db_, "PRAGMA journal_mode = WAL", nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK) return;
    if ((rc & 0xff) != SQLITE_BUSY || std::chrono::steady_clock::now() >= deadline)
      fail_sqlite("switching to write-ahead logging");
    std::this_thread::sleep_for(std::chrono::milliseconds(1 + attempt % 10));
  }
}

void Database::fail_sqlite(const std::string& what) const {
  fail("database {}: {}: {}", path_.string(), what, last_error());
}

std::string Database::last_error() const {
  std::string message = sqlite3_errmsg(db_);
  if ((sqlite3_errcode(db_) & 0xff) == SQLITE_BUSY)
    message += fmt::format(
        " (another process held its write lock for longer than the {} s this emlab waits: "
        "another emlab writing to it, or an open sqlite3 session; nothing stored is lost, run "
        "the command again once that process is done)",
        busy_timeout_ms_ / 1000.0);
  return message;
}

Database::Transaction::Transaction(Database& db) : db_(db) {
  db_.execute("BEGIN IMMEDIATE");
}

Database::Transaction::~Transaction() {
  if (!done_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Database::Transaction::commit() {
  db_.execute("COMMIT");
  done_ = true;
}

}  // namespace emlab::store
