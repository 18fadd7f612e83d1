#pragma once
// The one token alphabet every task writes in, so a single model can train on any mixture of
// tasks. Fixed: token ids never change, because checkpoints and stored test sets depend on them.
//
//   0 <pad>  1 <bos>  2 <eos>  3 =  4 ?  5..14 digits 0-9  15 +  16 -  17 *  18 ,  19 ;  20 :
//   21 |  22 .  23 ~  24 (  25 )  26..51 letters a-z  52..59 attribute names A-H
//   60 PUSH  61 DUP  62 SWAP  63 POP
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace emlab::tasks {

inline constexpr int kVocabSize = 64;  // models train with vocab_size = kVocabSize

namespace tok {
inline constexpr int32_t kPad = 0;
inline constexpr int32_t kBos = 1;
inline constexpr int32_t kEos = 2;
inline constexpr int32_t kEquals = 3;  // separates a prompt from its answer
inline constexpr int32_t kQuery = 4;   // "?": a question (knowledge base, hop_k)
inline constexpr int32_t kDigit0 = 5;
inline constexpr int32_t kPlus = 15;
inline constexpr int32_t kMinus = 16;
inline constexpr int32_t kTimes = 17;
inline constexpr int32_t kComma = 18;
inline constexpr int32_t kSemicolon = 19;  // separates scratchpad steps
inline constexpr int32_t kColon = 20;      // reserved
inline constexpr int32_t kBar = 21;        // ends a scratchpad / separates copies
inline constexpr int32_t kDot = 22;        // reserved
inline constexpr int32_t kTilde = 23;      // "reverse this"
inline constexpr int32_t kOpen = 24;       // reserved
inline constexpr int32_t kClose = 25;      // reserved
inline constexpr int32_t kLetterA = 26;
inline constexpr int32_t kAttributeA = 52;
inline constexpr int32_t kPush = 60;
inline constexpr int32_t kDup = 61;
inline constexpr int32_t kSwap = 62;
inline constexpr int32_t kPop = 63;
}  // namespace tok

inline constexpr int kLetters = 26;    // a-z: symbols, entity names, knowledge-base values
inline constexpr int kAttributes = 8;  // A-H: knowledge-base attribute names

inline constexpr int32_t digit_token(int d) {
  return tok::kDigit0 + d;
}
inline constexpr int32_t letter_token(int i) {
  return tok::kLetterA + i;
}
inline constexpr int32_t attribute_token(int i) {
  return tok::kAttributeA + i;
}
inline constexpr bool is_digit_token(int32_t t) {
  return t >= tok::kDigit0 && t < tok::kDigit0 + 10;
}
inline constexpr bool is_letter_token(int32_t t) {
  return t >= tok::kLetterA && t < tok::kLetterA + kLetters;
}
inline constexpr int digit_value(int32_t t) {
  return t - tok::kDigit0;
}
inline constexpr int letter_index(int32_t t) {
  return t - tok::kLetterA;
}

// The printed form of a token: one character, or a word such as "PUSH" or "<eos>".
std::string_view token_name(int32_t token);

// Readable text: one-character tokens are written back to back and words are set off by spaces
// ("<bos> 12+345="), except that stack programs are spaced throughout ("PUSH 3 PUSH 4 * =").
// Unknown ids print as "<#id>".
std::string decode(std::span<const int32_t> tokens);

// The inverse of decode: whitespace is skipped and the longest token name matching at each
// position is taken. Throws emlab::Error naming the offset of text that matches no token.
std::vector<int32_t> encode(std::string_view text);

// Decimal digits of a non-negative number, most significant first.
std::vector<int32_t> number_tokens(uint64_t value);

}  // namespace emlab::tasks
