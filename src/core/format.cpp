#include "core/format.hpp"

#include <fmt/format.h>

#include <cmath>

namespace emlab {

std::string format_number(double value, const char* spec) {
  if (std::isnan(value)) return kNoValue;
  if (std::isinf(value)) return value > 0 ? "∞" : "−∞";
  return fmt::format(fmt::runtime(spec), value);
}

std::string human_count(double value) {
  const char* units[] = {"", "k", "M", "G", "T", "P"};
  int u = 0;
  while (std::abs(value) >= 1000.0 && u < 5) {
    value /= 1000.0;
    ++u;
  }
  return u == 0 ? fmt::format("{:.0f}", value) : fmt::format("{:.3g}{}", value, units[u]);
}

std::string human_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  if (seconds < 60) return fmt::format("{:.1f}s", seconds);
  const auto total = static_cast<long>(std::lround(seconds));
  if (total < 3600) return fmt::format("{}m{:02d}s", total / 60, total % 60);
  return fmt::format("{}h{:02d}m", total / 3600, (total % 3600) / 60);
}

std::string format_with_interval(double value, double lower, double upper, const char* spec) {
  const std::string v = format_number(value, spec);
  if (std::isnan(lower) || std::isnan(upper)) return v;
  return v + " [" + format_number(lower, spec) + ", " + format_number(upper, spec) + "]";
}

}  // namespace emlab
