#pragma once
// What every fuzz target shares: the input as text or as a file (for readers that take a path),
// and the rule that bad input must end in emlab::Error, the clear message a user sees. Any other
// exception escaping a parser is a finding: it would reach the user as an "internal error".
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/error.hpp"

namespace emlab::fuzz {

inline std::string as_text(const uint8_t* data, size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

// A file holding the input, private to this process (fuzzers run several workers at once).
inline std::filesystem::path as_file(const uint8_t* data, size_t size, const char* suffix) {
  const auto path =
      std::filesystem::temp_directory_path() / ("emlab_fuzz_" + std::to_string(getpid()) + suffix);
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return path;
}

// Runs f; emlab::Error is the expected outcome of bad input, anything else aborts (a finding).
template <typename F>
int expect_clear_errors(F&& f) {
  try {
    f();
  } catch (const Error&) {
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fuzz: not an emlab::Error: %s\n", e.what());
    std::abort();
  }
  return 0;
}

}  // namespace emlab::fuzz
