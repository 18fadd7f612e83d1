#include "tasks/alphabet.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/error.hpp"

namespace emlab::tasks {
namespace {

constexpr std::array<std::string_view, kVocabSize> kNames = {
    "<pad>", "<bos>", "<eos>", "=", "?", "0", "1", "2", "3",    "4",   "5",    "6",  "7",
    "8",     "9",     "+",     "-", "*", ",", ";", ":", "|",    ".",   "~",    "(",  ")",
    "a",     "b",     "c",     "d", "e", "f", "g", "h", "i",    "j",   "k",    "l",  "m",
    "n",     "o",     "p",     "q", "r", "s", "t", "u", "v",    "w",   "x",    "y",  "z",
    "A",     "B",     "C",     "D", "E", "F", "G", "H", "PUSH", "DUP", "SWAP", "POP"};

}  // namespace

std::string_view token_name(int32_t token) {
  if (token < 0 || token >= kVocabSize) return {};
  return kNames[static_cast<size_t>(token)];
}

std::string decode(std::span<const int32_t> tokens) {
  // Programs (any instruction word present) read best with every token spaced out.
  const bool program = std::any_of(tokens.begin(), tokens.end(),
                                   [](int32_t t) { return t >= tok::kPush && t < kVocabSize; });
  std::string text;
  for (const int32_t t : tokens) {
    const std::string_view name = token_name(t);
    const std::string shown = name.empty() ? "<#" + std::to_string(t) + ">" : std::string(name);
    // Words stand apart from their neighbours; single characters run together.
    const bool apart = program || shown.size() > 1;
    if (apart && !text.empty() && text.back() != ' ') text += ' ';
    text += shown;
    if (apart) text += ' ';
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

std::vector<int32_t> encode(std::string_view text) {
  std::vector<int32_t> tokens;
  size_t i = 0;
  while (i < text.size()) {
    if (std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
      continue;
    }
    int best = -1;
    size_t best_size = 0;
    for (int t = 0; t < kVocabSize; ++t) {
      const std::string_view name = kNames[static_cast<size_t>(t)];
      if (name.size() > best_size && text.substr(i, name.size()) == name) {
        best = t;
        best_size = name.size();
      }
    }
    require(best >= 0, "encode: no token matches '{}' at offset {} of \"{}\"", text.substr(i, 1), i,
            text);
    tokens.push_back(best);
    i += best_size;
  }
  return tokens;
}

std::vector<int32_t> number_tokens(uint64_t value) {
  std::vector<int32_t> digits;
  do {
    digits.insert(digits.begin(), digit_token(static_cast<int>(value % 10)));
    value /= 10;
  } while (value > 0);
  return digits;
}

}  // namespace emlab::tasks
