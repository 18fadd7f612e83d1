#pragma once
// Human-readable numbers for progress lines and tables.
#include <string>

namespace emlab {

std::string human_count(double value);       // 1234567 -> "1.23M"
std::string human_duration(double seconds);  // 75 -> "1m15s"

// What every table and message shows where a number has no value (NaN).
inline constexpr const char* kNoValue = "—";
// A number as tables and messages show it: `spec` (fmt syntax) when finite, ∞ or −∞ for an
// infinity, kNoValue for NaN.
std::string format_number(double value, const char* spec = "{:.4g}");
// "value [lower, upper]" in `spec`, or the value alone when the interval is unknown (NaN).
std::string format_with_interval(double value, double lower, double upper,
                                 const char* spec = "{:.3f}");

}  // namespace emlab
