#pragma once
// The results database of a study: one SQLite file. The schema is versioned (PRAGMA user_version)
// and brought up to date by ordered migrations when the file is opened; a file written by a newer
// emlab is refused rather than misread. Writers group their rows in transactions so a crash never
// leaves half a result behind.
#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <string>

namespace emlab::store {

class Database {
 public:
  enum class Mode { kReadWrite, kReadOnly };

  // Creates the file (read-write) if absent and migrates it to the current schema. Throws
  // emlab::Error naming the file for: a newer schema, a file that is not a database, a read-only
  // file or folder opened for writing, a database locked by another writer past the timeout.
  // busy_timeout_ms: how long to wait for another writer before failing.
  explicit Database(const std::filesystem::path& path, Mode mode = Mode::kReadWrite,
                    int busy_timeout_ms = 10'000);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  static int current_schema_version();
  int schema_version() const;
  const std::filesystem::path& path() const { return path_; }

  // Runs SQL with no results; throws emlab::Error with SQLite's message and the file.
  void execute(const std::string& sql);
  sqlite3* handle() { return db_; }
  // SQLite's message for the last failure, saying what to do when it was another writer's lock.
  std::string last_error() const;

  // All-or-nothing groups of writes: commit() or the destructor's rollback.
  class Transaction {
   public:
    explicit Transaction(Database& db);
    ~Transaction();
    void commit();

   private:
    Database& db_;
    bool done_ = false;
  };

 private:
  void migrate();
  void switch_to_wal(int busy_timeout_ms);
  [[noreturn]] void fail_sqlite(const std::string& what) const;

  std::filesystem::path path_;
  sqlite3* db_ = nullptr;
  int busy_timeout_ms_ = 0;
};

}  // namespace emlab::store
