#pragma once
// `emlab serve DB`: the report of a study over HTTP on this machine, rebuilt from the database in
// the background whenever its state (checkpoints stored, run states) has changed, while requests
// are answered from the last complete build; the page reloads itself once a newer build is
// served, so a sweep can be watched.
#include <string>

namespace emlab::report {

struct ServeOptions {
  std::string database;
  std::string host = "127.0.0.1";
  int port = 8765;            // 0: any free port
  bool allow_remote = false;  // a host other than loopback must be asked for
  int poll_ms = 2000;         // how often the page asks whether the database changed
  bool log_requests = false;  // one line per answered request on stderr
};

// True for 127.0.0.0/8, ::1 and "localhost".
bool is_loopback(const std::string& host);

// Serves until the process is stopped. Prints "serving DB at URL" once listening and, with
// log_requests, "GET /state 200 1.2 ms" on stderr for each request answered. Throws
// emlab::Error for a non-loopback host without allow_remote, or a port that cannot be bound.
void serve_report(const ServeOptions& options);

// What the server watches: changes when a checkpoint is stored or a run changes state. GET /state
// answers the state of the build being served.
std::string database_state(const std::string& database);

}  // namespace emlab::report
