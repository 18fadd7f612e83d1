#pragma once
// Human-readable numbers for progress lines and tables, and the exit-code carrier.
#include <string>

namespace emlab::cli {

std::string human_count(double value);       // 1234567 -> "1.23M"
std::string human_duration(double seconds);  // 75 -> "1m15s"

// Thrown by a subcommand to end the program with a specific status after it has printed why.
struct ExitCode {
  int code;
};

}  // namespace emlab::cli
