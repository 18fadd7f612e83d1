#pragma once
// One sweep per database at a time: an exclusive flock on "<database>.lock", released by the
// kernel when the holder exits however it exits (so a kill -9 never leaves a stale lock).
#include <filesystem>

namespace emlab::sweep {

class SweepLock {
 public:
  // Throws emlab::Error naming the database when another process holds the lock.
  explicit SweepLock(const std::filesystem::path& database);
  ~SweepLock();
  SweepLock(const SweepLock&) = delete;
  SweepLock& operator=(const SweepLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace emlab::sweep
