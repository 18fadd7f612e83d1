// The alphabet: fixed size, unique names, and encode/decode as inverses.
#include <gtest/gtest.h>

#include <set>

#include "core/rng.hpp"
#include "support/error_message.hpp"
#include "tasks/alphabet.hpp"

namespace emlab::tasks {
namespace {

TEST(Alphabet, SixtyFourDistinctNames) {
  EXPECT_EQ(kVocabSize, 64);
  std::set<std::string_view> names;
  for (int t = 0; t < kVocabSize; ++t) {
    EXPECT_FALSE(token_name(t).empty()) << t;
    names.insert(token_name(t));
  }
  EXPECT_EQ(names.size(), 64u);
  EXPECT_EQ(token_name(tok::kEquals), "=");
  EXPECT_EQ(token_name(digit_token(7)), "7");
  EXPECT_EQ(token_name(letter_token(25)), "z");
  EXPECT_EQ(token_name(attribute_token(7)), "H");
  EXPECT_EQ(token_name(tok::kPop), "POP");
}

TEST(Alphabet, EncodeInvertsDecodeOnRandomSequences) {
  Rng rng(5);
  for (int i = 0; i < 2000; ++i) {
    std::vector<int32_t> tokens(1 + rng.below(40));
    for (auto& t : tokens) t = static_cast<int32_t>(rng.below(kVocabSize));
    ASSERT_EQ(encode(decode(tokens)), tokens) << decode(tokens);
  }
}

TEST(Alphabet, ReadableText) {
  EXPECT_EQ(decode(encode("12+345=")), "12+345=");
  EXPECT_EQ(decode(encode("PUSH 3 PUSH 4 * DUP + =")), "PUSH 3 PUSH 4 * DUP + =");
  EXPECT_EQ(decode(encode("<bos>?qkA=m<eos>")), "<bos> ?qkA=m <eos>");
  EXPECT_EQ(encode("PUSH3"), (std::vector<int32_t>{tok::kPush, digit_token(3)}));
  EXPECT_EQ(number_tokens(0), (std::vector<int32_t>{digit_token(0)}));
  EXPECT_EQ(decode(number_tokens(9081726354ULL)), "9081726354");
}

TEST(Alphabet, UnknownTextIsAnError) {
  EXPECT_EQ(testing::error_message([] { encode("12 & 3"); }),
            "encode: no token matches '&' at offset 3 of \"12 & 3\"");
}

}  // namespace
}  // namespace emlab::tasks
