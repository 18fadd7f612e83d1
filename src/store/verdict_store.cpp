#include "store/verdict_store.hpp"

#include "store/statement.hpp"

namespace emlab::store {

void VerdictStore::write(const VerdictRow& r) {
  Database::Transaction tx(db_);
  Statement s(
      db_,
      "INSERT OR REPLACE INTO verdicts (study, claim, predicts, verdict, rule, "
      "measurements_json, conditions_json, scale, figures, code_version, power_json, evidence, "
      "seconds, created, control, control_for) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?, ?)");
  s.bind(1, r.study).bind(2, r.claim).bind(3, r.predicts).bind(4, r.verdict).bind(5, r.rule);
  s.bind(6, r.measurements_json).bind(7, r.conditions_json).bind(8, r.scale).bind(9, r.figures);
  s.bind(10, r.code_version).bind(11, r.power_json).bind(12, r.evidence);
  s.bind(13, r.seconds).bind(14, r.created).bind(15, r.control).bind(16, r.control_for);
  s.run();
  tx.commit();
}

std::vector<VerdictRow> VerdictStore::verdicts() {
  Statement s(db_,
              "SELECT study, claim, predicts, verdict, rule, measurements_json, conditions_json, "
              "scale, figures, code_version, power_json, evidence, seconds, created, control, "
              "control_for FROM verdicts "
              "ORDER BY study");
  std::vector<VerdictRow> out;
  while (s.step())
    out.push_back({s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), s.text(6),
                   s.text(7), s.text(8), s.text(9), s.text(10), s.text(11), s.real(12), s.real(13),
                   s.text(14), s.text(15)});
  return out;
}

std::string control_outcome(const VerdictRow& v) {
  if (v.control.empty()) return "";
  if (v.verdict == "inconclusive") return "decided nothing";
  return (v.control == "positive") == (v.verdict == "held") ? "as it must"
                                                            : "the opposite of what it must";
}

std::string control_caveat(const VerdictRow& study, const VerdictRow& control) {
  if (control.control == "positive" && control.verdict != "held" && study.verdict == "did not hold")
    return "the positive control did not say held, so this did not hold cannot tell a false claim "
           "from a test that could not show the effect";
  if (control.control == "negative" && control.verdict != "did not hold" && study.verdict == "held")
    return "the negative control did not say did not hold, so this held may come from the test, "
           "not the effect";
  return "";
}

}  // namespace emlab::store
