#pragma once
// The verdicts of the studies run on a database (emlab study run): one row per study, replaced
// when the study runs again. Measurements and conditions are kept as JSON so a study kind can add
// measurements without a schema change.
#include <string>
#include <vector>

#include "store/database.hpp"

namespace emlab::store {

struct VerdictRow {
  std::string study;
  std::string claim;              // the hypothesis, in words
  std::string predicts;           // what it predicts we will see
  std::string verdict;            // "held" | "did not hold" | "inconclusive"
  std::string rule;               // the verdict rule in words, fixed before the run
  std::string measurements_json;  // [{name, value, lower, upper, about}]
  std::string conditions_json;    // [{condition, values, outcome}]
  std::string scale;              // smoke | small | full
  std::string figures;            // the report section that shows it ("" when none)
  std::string code_version;
  std::string power_json = "{}";  // the rule's simulated power and false-positive rate
  std::string evidence;           // the report showing its figures, when not this database's
  double seconds = 0;             // wall time of the study run (sweeps and analysis)
  double created = 0;             // unix time
  // A control study checks the pipeline of another on a setting where the answer is known:
  // "positive" must say held, "negative" did not hold ("" for a study of a claim).
  std::string control;
  std::string control_for;  // the study it controls
};

// What a control's verdict says of its pipeline: "as it must", "decided nothing" (inconclusive) or
// "the opposite of what it must"; "" for a study of a claim.
std::string control_outcome(const VerdictRow& v);

// What a control's outcome takes from the verdict of the study it controls: a positive control
// that did not say held leaves that study's "did not hold" unable to tell a false claim from a
// test that could not show it; a negative control that did not say "did not hold" does the same to
// its "held". "" when the control came out as it must or does not bear on that verdict.
std::string control_caveat(const VerdictRow& study, const VerdictRow& control);

class VerdictStore {
 public:
  explicit VerdictStore(Database& db) : db_(db) {}
  // Inserts, or replaces the study's earlier verdict.
  void write(const VerdictRow& row);
  // Every verdict, by study name.
  std::vector<VerdictRow> verdicts();

 private:
  Database& db_;
};

}  // namespace emlab::store
