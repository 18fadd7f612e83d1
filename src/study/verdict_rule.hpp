#pragma once
// A study's verdict rule, fixed in its file before anything runs: conditions on named
// measurements, each "TERM OP TERM" with OP one of < <= > >= and TERM a number, a measurement's
// name, or "NUMBER * name" (e.g. "exact_match_breakthroughness >= 2 * edit_breakthroughness").
//   held          every `held_if` condition is true;
//   inconclusive  any `inconclusive_if` condition is true, or a condition needs a measurement
//                 that could not be measured (NaN);
//   did not hold  otherwise.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "study/measurement.hpp"

namespace emlab::study {

struct Term {
  double factor = 1;
  std::string name;  // empty: the term is the number `factor`
};

struct Condition {
  std::string text;  // as written
  Term lhs, rhs;
  std::string op;
};

// Throws emlab::Error "WHERE: ..." for a condition that does not parse.
Condition parse_condition(const std::string& text, const std::string& where);

// The measurement names a condition reads.
std::vector<std::string> names_in(const Condition& c);

struct VerdictRule {
  std::string words;  // the rule as a sentence, printed with the verdict
  std::vector<Condition> held_if, inconclusive_if;
};

struct ConditionOutcome {
  std::string condition;  // as written
  std::string values;     // with the measured numbers put in
  std::string outcome;    // "true" | "false" | "not measured"
};

struct Verdict {
  std::string verdict;  // held | did not hold | inconclusive
  std::vector<ConditionOutcome> held, inconclusive;
  nlohmann::json conditions_json() const;
};

Verdict decide(const VerdictRule& rule, const Measurements& measured);

}  // namespace emlab::study
