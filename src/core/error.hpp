#pragma once
// One exception type for every user-facing failure: the message names the file, line or field at
// fault and what was expected, so the CLI can print it and exit non-zero.
#include <fmt/format.h>

#include <stdexcept>
#include <string>

namespace emlab {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

template <typename... Args>
[[noreturn]] void fail(fmt::format_string<Args...> format, Args&&... args) {
  throw Error(fmt::format(format, std::forward<Args>(args)...));
}

// Checks a condition that depends on user input; internal invariants use assert instead.
template <typename... Args>
void require(bool ok, fmt::format_string<Args...> format, Args&&... args) {
  if (!ok) throw Error(fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace emlab
