// Many processes opening one new database at the same moment, as a sweep's workers and MPI ranks
// do: every open must succeed with the current schema. The schema version used to be read before
// the write lock was taken, so two processes both ran the first migration and the second failed
// with "table runs already exists" (issue 14).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "store/database.hpp"

namespace emlab::store {
namespace {

namespace fs = std::filesystem;

// What a child reports through its exit status.
enum ChildResult { kOpened = 0, kWrongVersion = 1, kThrew = 2, kNoStart = 3 };

// Forks `processes` children that wait on one pipe, releases them together, and has each open
// `path` (every third read-only) and check its schema version. Returns each child's result, and
// the first error message a child printed in `first_error`.
std::vector<int> open_together(const fs::path& path, int processes, std::string& first_error) {
  int start[2], errors[2];
  if (pipe(start) != 0 || pipe(errors) != 0) ADD_FAILURE() << "pipe failed";
  std::vector<pid_t> children;
  for (int i = 0; i < processes; ++i) {
    const pid_t pid = fork();
    if (pid == 0) {
      close(start[1]);
      close(errors[0]);
      char go;
      if (read(start[0], &go, 1) != 0) _exit(kNoStart);  // EOF: the parent let everyone go
      const auto mode = i % 3 == 2 ? Database::Mode::kReadOnly : Database::Mode::kReadWrite;
      try {
        Database db(path, mode);
        _exit(db.schema_version() == Database::current_schema_version() ? kOpened : kWrongVersion);
      } catch (const std::exception& e) {
        const std::string line = std::string(e.what()) + "\n";
        if (write(errors[1], line.data(), line.size()) < 0) _exit(kThrew);
        _exit(kThrew);
      }
    }
    children.push_back(pid);
  }
  close(start[0]);
  close(errors[1]);
  close(start[1]);  // every child's read returns now
  std::vector<int> results;
  for (pid_t pid : children) {
    int status = 0;
    waitpid(pid, &status, 0);
    results.push_back(WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status));
  }
  char buffer[4096];
  const ssize_t n = read(errors[0], buffer, sizeof buffer);
  if (n > 0) first_error.assign(buffer, static_cast<size_t>(n));
  close(errors[0]);
  return results;
}

TEST(DatabaseConcurrency, ProcessesOpeningANewDatabaseTogetherAllSucceed) {
  const fs::path dir =
      fs::temp_directory_path() / ("emlab_store_concurrent_open_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  constexpr int kRounds = 20, kProcesses = 8;
  int failures = 0;
  std::string first_error;
  for (int round = 0; round < kRounds; ++round) {
    const fs::path path = dir / ("round" + std::to_string(round) + ".sqlite");
    // An empty file, as a sweep's lock or a crashed first open leaves: readers can open it too.
    std::ofstream(path).close();
    for (int result : open_together(path, kProcesses, first_error))
      if (result != kOpened) ++failures;
    Database db(path, Database::Mode::kReadOnly);
    EXPECT_EQ(db.schema_version(), Database::current_schema_version()) << "round " << round;
  }
  EXPECT_EQ(failures, 0) << "of " << kRounds * kProcesses << " opens; first error: " << first_error;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace emlab::store
