#pragma once
// Human-readable numbers for progress lines and tables.
#include <string>

namespace emlab {

std::string human_count(double value);       // 1234567 -> "1.23M"
std::string human_duration(double seconds);  // 75 -> "1m15s"

}  // namespace emlab
