#include "core/rng.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace emlab {

std::string Rng::state_string() const {
  return fmt::format("{:016x}{:016x}{:016x}{:016x}", state_[0], state_[1], state_[2], state_[3]);
}

Rng::State Rng::parse_state(const std::string& text) {
  require(text.size() == 64, "rng state: expected 64 hex digits, got {} characters", text.size());
  State s{};
  for (int i = 0; i < 4; ++i) {
    const std::string part = text.substr(static_cast<size_t>(16 * i), 16);
    size_t used = 0;
    try {
      s[static_cast<size_t>(i)] = std::stoull(part, &used, 16);
    } catch (const std::exception&) {
      used = 0;
    }
    require(used == 16, "rng state: '{}' is not hexadecimal", part);
  }
  return s;
}

}  // namespace emlab
