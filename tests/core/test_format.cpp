// Numbers as tables show them and integers read from text: one way to show a missing value, and
// parse errors that name the field.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/format.hpp"
#include "core/parse_number.hpp"
#include "support/error_message.hpp"

namespace emlab {
namespace {

TEST(FormatNumber, ShowsFiniteValuesBySpecAndEveryMissingValueOneWay) {
  EXPECT_EQ(format_number(0.123456), "0.1235");
  EXPECT_EQ(format_number(2.5, "{:.3f}"), "2.500");
  EXPECT_EQ(format_number(-0.01234, "{:+.2f}"), "-0.01");
  EXPECT_EQ(format_number(std::nan("")), "—");
  EXPECT_EQ(format_number(std::nan(""), "{:.3f}"), kNoValue);
  EXPECT_EQ(format_number(std::numeric_limits<double>::infinity()), "∞");
  EXPECT_EQ(format_number(-std::numeric_limits<double>::infinity()), "−∞");
}

TEST(ParseInteger, ReadsTheWholeTextOrNamesTheField) {
  EXPECT_EQ(parse_integer("42", "--cpus"), 42);
  EXPECT_EQ(parse_integer("-7", "x"), -7);
  for (const char* bad : {"", "4x", "x4", " 4", "1.5", "99999999999999999999"}) {
    const std::string message = testing::error_message([&] { (void)parse_integer(bad, "--cpus"); });
    EXPECT_EQ(message, fmt::format("--cpus: expected an integer, got '{}'", bad)) << bad;
  }
}

}  // namespace
}  // namespace emlab
