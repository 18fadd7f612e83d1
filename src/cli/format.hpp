#pragma once
// Human-readable numbers (core/format) for the commands, and the exit-code carrier.
#include "core/format.hpp"

namespace emlab::cli {

using emlab::human_count;
using emlab::human_duration;

// Thrown by a subcommand to end the program with a specific status after it has printed why.
struct ExitCode {
  int code;
};

}  // namespace emlab::cli
