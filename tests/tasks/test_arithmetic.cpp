// Arithmetic answers and scratchpads checked with 128-bit integers parsed from the decoded text,
// independently of the generator's digit-vector algorithms.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "task_test_util.hpp"

namespace emlab::tasks {
namespace {

using namespace tasktest;

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t end = s.find(sep, start);
    parts.push_back(s.substr(start, end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

struct Parsed {
  std::string a, b;
  char op;
};

Parsed parse_prompt(const Example& e) {
  const std::string p = text(e.prompt);
  EXPECT_EQ(p.back(), '=');
  const size_t at = p.find_first_of("+-*");
  return {p.substr(0, at), p.substr(at + 1, p.size() - at - 2), p[at]};
}

// The column steps of an addition or subtraction scratchpad: "x+y+c=CS" or "x-y-c=BD".
void check_column_steps(const Parsed& q, const std::string& pad) {
  const std::vector<std::string> steps = split(pad, ';');
  ASSERT_EQ(steps.size(), q.a.size()) << pad;
  int carry = 0;
  for (size_t i = 0; i < steps.size(); ++i) {
    const std::string& s = steps[i];
    ASSERT_EQ(s.size(), 8u) << s;
    const int x = s[0] - '0', y = s[2] - '0', c = s[4] - '0', hi = s[6] - '0', lo = s[7] - '0';
    EXPECT_EQ(s[1], q.op);
    EXPECT_EQ(x, q.a[q.a.size() - 1 - i] - '0') << "column " << i << " of " << pad;
    EXPECT_EQ(y, q.b[q.b.size() - 1 - i] - '0') << "column " << i << " of " << pad;
    EXPECT_EQ(c, carry);
    if (q.op == '+')
      EXPECT_EQ(x + y + c, 10 * hi + lo) << s;
    else
      EXPECT_EQ(x - y - c + 10 * hi, lo) << s;
    carry = hi;
  }
}

// Multiplication steps "A*Bz..z=P,R": partial products and running sums.
void check_mul_steps(const Parsed& q, const std::string& pad) {
  const std::vector<std::string> steps = split(pad, ';');
  ASSERT_EQ(steps.size(), q.b.size()) << pad;
  U128 running = 0;
  for (size_t i = 0; i < steps.size(); ++i) {
    const size_t star = steps[i].find('*'), eq = steps[i].find('='), comma = steps[i].find(',');
    ASSERT_NE(comma, std::string::npos) << steps[i];
    EXPECT_EQ(steps[i].substr(0, star), q.a);
    const std::string factor = steps[i].substr(star + 1, eq - star - 1);
    EXPECT_EQ(factor, q.b.substr(q.b.size() - 1 - i, 1) + std::string(i, '0'));
    const U128 partial = parse_u128(q.a) * parse_u128(factor);
    EXPECT_EQ(steps[i].substr(eq + 1, comma - eq - 1), u128_string(partial));
    running += partial;
    EXPECT_EQ(steps[i].substr(comma + 1), u128_string(running));
  }
}

void check_task(const std::string& name, int digits, bool reverse, bool scratchpad, int count) {
  const auto t = task(name, {{"digits", std::to_string(digits)},
                             {"reverse", reverse ? "true" : "false"},
                             {"scratchpad", scratchpad ? "true" : "false"}});
  Rng rng(static_cast<uint64_t>(digits * 31 + reverse * 7 + scratchpad));
  for (int i = 0; i < count; ++i) {
    const Example e = t->sample_train(rng);
    SCOPED_TRACE(text(e.prompt) + " " + text(e.target));
    ASSERT_EQ(e.target.back(), tok::kEos);
    ASSERT_EQ(e.task, name);
    const Parsed q = parse_prompt(e);
    ASSERT_EQ(q.a.size(), static_cast<size_t>(digits));
    ASSERT_EQ(q.b.size(), static_cast<size_t>(digits));
    ASSERT_TRUE(digits == 1 || (q.a[0] != '0' && q.b[0] != '0'));
    const U128 a = parse_u128(q.a), b = parse_u128(q.b);
    U128 want = 0;
    if (q.op == '+') want = a + b;
    if (q.op == '-') {
      ASSERT_GE(a, b);
      want = a - b;
    }
    if (q.op == '*') want = a * b;
    std::string answer = answer_text(e);
    if (scratchpad) {
      const size_t bar = answer.find('|');
      ASSERT_NE(bar, std::string::npos);
      const std::string pad = answer.substr(0, bar);
      if (q.op == '*')
        check_mul_steps(q, pad);
      else
        check_column_steps(q, pad);
      answer = answer.substr(bar + 1);
    }
    if (reverse) std::reverse(answer.begin(), answer.end());
    ASSERT_EQ(answer, u128_string(want));
  }
}

TEST(Arithmetic, AnswersMatchIntegerArithmetic) {
  for (const char* op : {"add", "sub", "mul"})
    for (const int digits : {1, 2, 3, 5, 8, 13, 18})
      for (const bool reverse : {false, true}) check_task(op, digits, reverse, false, 400);
}

TEST(Arithmetic, ScratchpadStepsAreRight) {
  for (const char* op : {"add", "sub", "mul"})
    for (const int digits : {1, 2, 4, 8, 18})
      for (const bool reverse : {false, true}) check_task(op, digits, reverse, true, 150);
}

TEST(Arithmetic, RenderedFormats) {
  Rng rng(1);
  const auto add = task("add", {{"digits", "3"}, {"scratchpad", "true"}});
  const Example e = add->sample_train(rng);
  // e.g. "123+456=" -> "3+6+0=09;2+5+0=07;1+4+0=05|579"
  EXPECT_EQ(text(e.prompt).size(), 8u);
  EXPECT_EQ(add->describe(),
            "add(digits=3 reverse=false scratchpad=true test_fraction=0.1 split_seed=0)");
  EXPECT_FALSE(add->chance_exact_match().has_value());
}

TEST(FinalAnswer, AfterTheFirstSeparatorAndBeforeEos) {
  const auto answer = [](const std::string& written, int32_t separator) {
    const std::vector<int32_t> tokens = encode(written);
    const auto got = final_answer(tokens, separator);
    return got ? decode(std::vector<int32_t>(got->begin(), got->end())) : std::string("none");
  };
  EXPECT_EQ(answer("3+6+0=09|579<eos>", tok::kBar), "579");
  EXPECT_EQ(answer("3+6+0=09|579<eos>1|2", tok::kBar), "579");  // after <eos> is ignored
  EXPECT_EQ(answer("|<eos>", tok::kBar), "");                   // an empty answer is written
  EXPECT_EQ(answer("1|2|3<eos>", tok::kBar), "2|3");            // the scratchpad ends at the first
  EXPECT_EQ(answer("3+6+0=09;579<eos>", tok::kBar), "none");    // no "|": no final answer
  EXPECT_EQ(answer("3+6<eos>|5", tok::kBar), "none");           // only after <eos>
  EXPECT_EQ(answer("579<eos>8", -1), "579");                    // no separator: the whole answer
}

TEST(Arithmetic, AScratchpadIsJudgedByItsFinalAnswerAlone) {
  const auto pad = task("add", {{"digits", "2"}, {"scratchpad", "true"}});
  const auto direct = task("add", {{"digits", "2"}});
  EXPECT_EQ(pad->answer_separator(), std::optional<int32_t>(tok::kBar));
  EXPECT_FALSE(direct->answer_separator().has_value());
  Example e;
  e.prompt = encode("45+67=");
  e.target = encode("5+7+0=12;4+6+1=11|112<eos>");
  EXPECT_TRUE(pad->is_correct(e, e.target));
  // Wrong steps, right result: right (Nye et al. score the final answer).
  EXPECT_TRUE(pad->is_correct(e, encode("5+7+0=13;4+6+1=99|112<eos>")));
  EXPECT_TRUE(pad->is_correct(e, encode("|112")));
  EXPECT_FALSE(pad->is_correct(e, encode("5+7+0=12;4+6+1=11|111<eos>")));
  EXPECT_FALSE(pad->is_correct(e, encode("5+7+0=12;4+6+1=11;112<eos>")));  // no "|"
  EXPECT_FALSE(pad->is_correct(e, encode("5+7+0=12;4+6+1=11|1120<eos>")));
  // Without a scratchpad the whole answer is the result.
  Example d;
  d.prompt = encode("45+67=");
  d.target = encode("112<eos>");
  EXPECT_TRUE(direct->is_correct(d, encode("112<eos>33")));
  EXPECT_FALSE(direct->is_correct(d, encode("|112<eos>")));
}

TEST(Arithmetic, OneDigitOperandsCoverZeroToNine) {
  const auto add = task("add", {{"digits", "1"}});
  Rng rng(2);
  std::set<char> first;
  for (int i = 0; i < 2000; ++i) first.insert(text(add->sample_train(rng).prompt)[0]);
  EXPECT_EQ(first.size(), 10u);
}

}  // namespace
}  // namespace emlab::tasks
