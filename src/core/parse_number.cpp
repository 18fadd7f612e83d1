#include "core/parse_number.hpp"

#include <charconv>

#include "core/error.hpp"

namespace emlab {

int64_t parse_integer(std::string_view text, std::string_view what) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, error] = std::from_chars(text.data(), end, value);
  require(!text.empty() && error == std::errc() && ptr == end, "{}: expected an integer, got '{}'",
          what, text);
  return value;
}

}  // namespace emlab
