#include "tasks/arithmetic.hpp"

#include <algorithm>

#include "tasks/alphabet.hpp"

namespace emlab::tasks {
namespace {

void trim(Digits& d) {
  while (d.size() > 1 && d.back() == 0) d.pop_back();
}

bool less_than(const Digits& a, const Digits& b) {  // both trimmed
  if (a.size() != b.size()) return a.size() < b.size();
  return std::lexicographical_compare(a.rbegin(), a.rend(), b.rbegin(), b.rend());
}

void append(std::vector<int32_t>& out, const std::vector<int32_t>& more) {
  out.insert(out.end(), more.begin(), more.end());
}

// Sum of two numbers; each column's (a_i, b_i, carry in, carry out, digit) goes to `steps` when
// given, as "a+b+c=" followed by the two-digit column sum.
Digits add_digits(const Digits& a, const Digits& b, std::vector<int32_t>* steps) {
  Digits sum;
  int carry = 0;
  for (size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    const int x = i < a.size() ? a[i] : 0;
    const int y = i < b.size() ? b[i] : 0;
    const int s = x + y + carry;
    if (steps) {
      if (!steps->empty()) steps->push_back(tok::kSemicolon);
      append(*steps, {digit_token(x), tok::kPlus, digit_token(y), tok::kPlus, digit_token(carry),
                      tok::kEquals, digit_token(s / 10), digit_token(s % 10)});
    }
    sum.push_back(s % 10);
    carry = s / 10;
  }
  if (carry) sum.push_back(carry);
  return sum;
}

// a - b for a >= b; columns written "a-b-c=" followed by the borrow out and the digit.
Digits sub_digits(const Digits& a, const Digits& b, std::vector<int32_t>* steps) {
  Digits diff;
  int borrow = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    const int y = i < b.size() ? b[i] : 0;
    int d = a[i] - y - borrow;
    const int out = d < 0 ? 1 : 0;
    d += 10 * out;
    if (steps) {
      if (!steps->empty()) steps->push_back(tok::kSemicolon);
      append(*steps, {digit_token(a[i]), tok::kMinus, digit_token(y), tok::kMinus,
                      digit_token(borrow), tok::kEquals, digit_token(out), digit_token(d)});
    }
    diff.push_back(d);
    borrow = out;
  }
  trim(diff);
  return diff;
}

// Long multiplication; step i is "a*b_i0..0=" the shifted partial product "," the running sum.
Digits mul_digits(const Digits& a, const Digits& b, std::vector<int32_t>* steps) {
  Digits total{0};
  for (size_t i = 0; i < b.size(); ++i) {
    Digits partial(i, 0);
    int carry = 0;
    for (const int x : a) {
      const int p = x * b[i] + carry;
      partial.push_back(p % 10);
      carry = p / 10;
    }
    if (carry) partial.push_back(carry);
    trim(partial);
    total = add_digits(total, partial, nullptr);
    trim(total);
    if (steps) {
      if (!steps->empty()) steps->push_back(tok::kSemicolon);
      append(*steps, digits_to_tokens(a));
      steps->push_back(tok::kTimes);
      steps->push_back(digit_token(b[i]));
      steps->insert(steps->end(), i, digit_token(0));
      steps->push_back(tok::kEquals);
      append(*steps, digits_to_tokens(partial));
      steps->push_back(tok::kComma);
      append(*steps, digits_to_tokens(total));
    }
  }
  return total;
}

}  // namespace

const char* to_string(ArithmeticOp op) {
  switch (op) {
    case ArithmeticOp::kAdd:
      return "add";
    case ArithmeticOp::kSub:
      return "sub";
    case ArithmeticOp::kMul:
      return "mul";
  }
  return "?";
}

Digits random_operand(Rng& rng, int digits) {
  Digits d(static_cast<size_t>(digits));
  for (int i = 0; i < digits; ++i) d[static_cast<size_t>(i)] = static_cast<int>(rng.below(10));
  // n digits means no leading zero, except that 0 is a 1-digit number.
  if (digits > 1) d.back() = 1 + static_cast<int>(rng.below(9));
  return d;
}

std::vector<int32_t> digits_to_tokens(const Digits& lsb_first) {
  std::vector<int32_t> out;
  for (auto it = lsb_first.rbegin(); it != lsb_first.rend(); ++it) out.push_back(digit_token(*it));
  return out;
}

ArithmeticTask::ArithmeticTask(ArithmeticOp op, ParamReader& params)
    : Task(to_string(op)), op_(op) {
  digits_ = params.integer32("digits", 2, 1, kMaxDigits);
  reverse_ = params.boolean("reverse", false);
  scratchpad_ = params.boolean("scratchpad", false);
  configure(params);
}

std::optional<int32_t> ArithmeticTask::answer_separator() const {
  return scratchpad_ ? std::optional<int32_t>(tok::kBar) : std::nullopt;
}

Example ArithmeticTask::draw(Rng& rng, bool) const {
  Digits a = random_operand(rng, digits_);
  Digits b = random_operand(rng, digits_);
  if (op_ == ArithmeticOp::kSub && less_than(a, b)) std::swap(a, b);
  std::vector<int32_t> steps;
  std::vector<int32_t>* record = scratchpad_ ? &steps : nullptr;
  Digits result;
  int32_t sign = tok::kPlus;
  switch (op_) {
    case ArithmeticOp::kAdd:
      result = add_digits(a, b, record);
      break;
    case ArithmeticOp::kSub:
      result = sub_digits(a, b, record);
      sign = tok::kMinus;
      break;
    case ArithmeticOp::kMul:
      result = mul_digits(a, b, record);
      sign = tok::kTimes;
      break;
  }
  std::vector<int32_t> prompt = digits_to_tokens(a);
  prompt.push_back(sign);
  append(prompt, digits_to_tokens(b));
  prompt.push_back(tok::kEquals);

  std::vector<int32_t> answer = std::move(steps);
  if (scratchpad_) answer.push_back(tok::kBar);
  std::vector<int32_t> value = digits_to_tokens(result);
  if (reverse_) std::reverse(value.begin(), value.end());
  append(answer, value);
  return make_example(std::move(prompt), std::move(answer));
}

}  // namespace emlab::tasks
