#include "study/verdict_rule.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <cstdlib>

#include "core/error.hpp"

namespace emlab::study {

namespace {

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

bool is_name(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

bool parse_number(const std::string& s, double& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  const double value = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(value)) return false;
  out = value;
  return true;
}

Term parse_term(const std::string& raw, const std::string& where, const std::string& text) {
  const std::string s = trim(raw);
  Term t;
  if (const size_t star = s.find('*'); star != std::string::npos) {
    const std::string factor = trim(s.substr(0, star)), name = trim(s.substr(star + 1));
    if (!parse_number(factor, t.factor) || !is_name(name))
      fail("{}: \"{}\": expected NUMBER * measurement, got \"{}\"", where, text, s);
    t.name = name;
    return t;
  }
  if (parse_number(s, t.factor)) return t;
  if (!is_name(s))
    fail("{}: \"{}\": expected a number or a measurement name, got \"{}\"", where, text, s);
  t.name = s;
  return t;
}

// The term's value, or NaN when its measurement is missing or NaN.
double value_of(const Term& t, const Measurements& measured) {
  if (t.name.empty()) return t.factor;
  const Measurement* m = measured.find(t.name);
  return m == nullptr ? NAN : t.factor * m->value;
}

std::string show(const Term& t, const Measurements& measured) {
  if (t.name.empty()) return fmt::format("{:g}", t.factor);
  const double v = value_of(t, measured);
  const std::string number = std::isnan(v) ? "not measured" : fmt::format("{:.4g}", v);
  return t.factor == 1 ? fmt::format("{} ({})", t.name, number)
                       : fmt::format("{:g} × {} ({})", t.factor, t.name, number);
}

ConditionOutcome evaluate(const Condition& c, const Measurements& measured) {
  const double a = value_of(c.lhs, measured), b = value_of(c.rhs, measured);
  ConditionOutcome out{
      c.text, fmt::format("{} {} {}", show(c.lhs, measured), c.op, show(c.rhs, measured)), ""};
  if (std::isnan(a) || std::isnan(b)) {
    out.outcome = "not measured";
    return out;
  }
  bool holds = false;
  if (c.op == "<") holds = a < b;
  if (c.op == "<=") holds = a <= b;
  if (c.op == ">") holds = a > b;
  if (c.op == ">=") holds = a >= b;
  out.outcome = holds ? "true" : "false";
  return out;
}

nlohmann::json outcomes_json(const std::vector<ConditionOutcome>& outcomes) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& o : outcomes)
    out.push_back({{"condition", o.condition}, {"values", o.values}, {"outcome", o.outcome}});
  return out;
}

}  // namespace

Condition parse_condition(const std::string& text, const std::string& where) {
  for (const char* op : {"<=", ">=", "<", ">"}) {
    const size_t at = text.find(op);
    if (at == std::string::npos) continue;
    Condition c;
    c.text = trim(text);
    c.op = op;
    const std::string rest = text.substr(at + std::string(op).size());
    if (rest.find_first_of("<>=") != std::string::npos)
      fail("{}: \"{}\": one comparison per condition", where, text);
    c.lhs = parse_term(text.substr(0, at), where, text);
    c.rhs = parse_term(rest, where, text);
    if (c.lhs.name.empty() && c.rhs.name.empty())
      fail("{}: \"{}\": compares two numbers; name a measurement", where, text);
    return c;
  }
  fail("{}: \"{}\": expected a comparison TERM OP TERM with OP one of <, <=, >, >=", where, text);
}

std::vector<std::string> names_in(const Condition& c) {
  std::vector<std::string> names;
  for (const Term* t : {&c.lhs, &c.rhs})
    if (!t->name.empty()) names.push_back(t->name);
  return names;
}

nlohmann::json Verdict::conditions_json() const {
  return {{"held_if", outcomes_json(held)}, {"inconclusive_if", outcomes_json(inconclusive)}};
}

Verdict decide(const VerdictRule& rule, const Measurements& measured) {
  Verdict v;
  bool unmeasured = false, inconclusive = false, all_held = true;
  for (const Condition& c : rule.inconclusive_if) {
    v.inconclusive.push_back(evaluate(c, measured));
    inconclusive = inconclusive || v.inconclusive.back().outcome != "false";
  }
  for (const Condition& c : rule.held_if) {
    v.held.push_back(evaluate(c, measured));
    unmeasured = unmeasured || v.held.back().outcome == "not measured";
    all_held = all_held && v.held.back().outcome == "true";
  }
  v.verdict = inconclusive || unmeasured ? "inconclusive" : all_held ? "held" : "did not hold";
  return v;
}

}  // namespace emlab::study
