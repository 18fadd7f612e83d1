// hop_k checked by a brute-force search over the definition, copying and reversal by comparison.
#include <gtest/gtest.h>

#include <algorithm>

#include "task_test_util.hpp"

namespace emlab::tasks {
namespace {

using namespace tasktest;

// Sanford et al.: find(X, i) = max{ j <= i : X[j-1] = X[i] } over 1-based positions (0 when none),
// hop_k = X[find^k(n)]. Returns '\0' when a hop finds nothing.
char brute_force_hop(const std::string& x, int k) {
  int i = static_cast<int>(x.size());  // 1-based
  for (int hop = 0; hop < k; ++hop) {
    int found = 0;
    for (int j = 2; j <= i; ++j)
      if (x[static_cast<size_t>(j - 2)] == x[static_cast<size_t>(i - 1)]) found = j;
    if (found == 0) return '\0';
    i = found;
  }
  return x[static_cast<size_t>(i - 1)];
}

TEST(Hop, BruteForceCheckerOnAWorkedString) {
  EXPECT_EQ(brute_force_hop("abacba", 0), 'a');
  EXPECT_EQ(brute_force_hop("abacba", 1), 'c');   // a at 3 (1-based), one step right
  EXPECT_EQ(brute_force_hop("abacba", 2), '\0');  // no c before position 4
  EXPECT_EQ(brute_force_hop("abcabcab", 2), 'a');
}

TEST(Hop, AnswersMatchBruteForceSearch) {
  struct Shape {
    int length, letters, k;
  };
  for (const Shape s : {Shape{8, 2, 3}, Shape{16, 3, 0}, Shape{24, 4, 2}, Shape{32, 4, 6},
                        Shape{64, 8, 4}, Shape{64, 26, 1}, Shape{128, 5, 12}}) {
    const auto t = task("hop", {{"length", std::to_string(s.length)},
                                {"letters", std::to_string(s.letters)},
                                {"k", std::to_string(s.k)}});
    Rng rng(static_cast<uint64_t>(s.length + s.k));
    for (int i = 0; i < 600; ++i) {
      const Example e = t->sample_train(rng);
      const std::string p = text(e.prompt);
      const size_t q = p.find('?');
      const std::string x = p.substr(0, q);
      SCOPED_TRACE(p);
      ASSERT_EQ(x.size(), static_cast<size_t>(s.length));
      ASSERT_EQ(p.substr(q + 1), std::to_string(s.k) + "=");
      for (size_t j = 0; j < x.size(); ++j) {
        ASSERT_LT(x[j] - 'a', s.letters);
        ASSERT_TRUE(j == 0 || x[j] != x[j - 1]) << "equal neighbours";
      }
      const char want = brute_force_hop(x, s.k);
      ASSERT_NE(want, '\0');
      ASSERT_EQ(answer_text(e), std::string(1, want));
    }
    EXPECT_DOUBLE_EQ(*t->chance_exact_match(), 1.0 / s.letters);
  }
}

TEST(Copy, AnswerRepeatsThePrompt) {
  for (const int repeats : {2, 3}) {
    const auto t =
        task("copy", {{"length", "12"}, {"symbols", "6"}, {"repeats", std::to_string(repeats)}});
    Rng rng(4);
    for (int i = 0; i < 2000; ++i) {
      const Example e = t->sample_train(rng);
      const std::string p = text(e.prompt);
      ASSERT_EQ(p.size(), 13u);
      ASSERT_EQ(p.back(), '|');
      const std::string seq = p.substr(0, 12);
      ASSERT_TRUE(std::all_of(seq.begin(), seq.end(), [](char c) { return c >= 'a' && c < 'g'; }));
      std::string want = seq;
      for (int r = 2; r < repeats; ++r) want += "|" + seq;
      ASSERT_EQ(answer_text(e), want);
    }
  }
}

TEST(Reverse, AnswerIsTheReversedDigits) {
  const auto t = task("reverse", {{"digits", "9"}});
  Rng rng(5);
  for (int i = 0; i < 2000; ++i) {
    const Example e = t->sample_train(rng);
    const std::string p = text(e.prompt);
    ASSERT_EQ(p.front(), '~');
    std::string digits = p.substr(1, p.size() - 2);
    ASSERT_EQ(digits.size(), 9u);
    std::reverse(digits.begin(), digits.end());
    ASSERT_EQ(answer_text(e), digits);
  }
}

}  // namespace
}  // namespace emlab::tasks
