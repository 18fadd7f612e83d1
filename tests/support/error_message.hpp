#pragma once
// The message of the emlab::Error that f throws, or "(no error)".
#include <functional>
#include <string>

#include "core/error.hpp"

namespace emlab::testing {

inline std::string error_message(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace emlab::testing
