// UTF-8 validation, case by case from RFC 3629's table of well-formed sequences.
#include <gtest/gtest.h>

#include "text/utf8.hpp"

namespace emlab::text {
namespace {

TEST(Utf8, AcceptsWellFormedTextOfEveryLength) {
  EXPECT_EQ(first_invalid_utf8(""), std::nullopt);
  EXPECT_EQ(first_invalid_utf8("plain ASCII\n"), std::nullopt);
  EXPECT_EQ(first_invalid_utf8("\xce\xb1"), std::nullopt);          // α, 2 bytes
  EXPECT_EQ(first_invalid_utf8("\xed\x95\x9c"), std::nullopt);      // 한, 3 bytes
  EXPECT_EQ(first_invalid_utf8("\xf0\x9f\x99\x82"), std::nullopt);  // 🙂, 4 bytes
  EXPECT_EQ(first_invalid_utf8("\xf4\x8f\xbf\xbf"), std::nullopt);  // U+10FFFF, the last
}

TEST(Utf8, NamesTheOffsetOfTheFirstBadByte) {
  EXPECT_EQ(first_invalid_utf8("ab\xff"), 2u);                     // never valid
  EXPECT_EQ(first_invalid_utf8("caf\xe9 au lait"), 3u);            // Latin-1 é
  EXPECT_EQ(first_invalid_utf8("x\xc0\xaf"), 1u);                  // overlong '/'
  EXPECT_EQ(first_invalid_utf8("\xe0\x80\xaf"), 0u);               // overlong, 3 bytes
  EXPECT_EQ(first_invalid_utf8("\xed\xa0\x80"), 0u);               // surrogate U+D800
  EXPECT_EQ(first_invalid_utf8("\xf4\x90\x80\x80"), 0u);           // above U+10FFFF
  EXPECT_EQ(first_invalid_utf8("ok\xce"), 2u);                     // cut short at the end
  EXPECT_EQ(first_invalid_utf8("\xe2\x82 x"), 0u);                 // cut short in the middle
  EXPECT_EQ(first_invalid_utf8(std::string_view("a\0b", 3)), 1u);  // NUL: binary
}

}  // namespace
}  // namespace emlab::text
