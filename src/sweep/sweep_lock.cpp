#include "sweep/sweep_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.hpp"

namespace emlab::sweep {

SweepLock::SweepLock(const std::filesystem::path& database) {
  const std::string path = database.string() + ".lock";
  // O_CLOEXEC: worker processes must not inherit the lock and keep it past the sweep's end.
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  require(fd_ >= 0, "database {}: cannot create the lock file {}: {}", database.string(), path,
          std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd_);
    require(error == EWOULDBLOCK,
            "database {}: cannot lock {}: {} (the folder's filesystem may not support file locks; "
            "put the database on a local or lock-capable filesystem)",
            database.string(), path, std::strerror(error));
    fail(
        "database {}: another emlab sweep is working on it (lock {} is held); wait for it or "
        "stop it first",
        database.string(), path);
  }
}

SweepLock::~SweepLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace emlab::sweep
