// Hypotheses: one row per study judged on this database (emlab study run): the claim, what it
// predicts, the numbers that decided it, and the verdict, at the top of the report.
#include <fmt/format.h>

#include "core/format.hpp"
#include "report/sections.hpp"
#include "store/verdict_store.hpp"

namespace emlab::report {

namespace {

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else
      out += c;
  }
  return out;
}

// The conditions with the measured values put in: "a (9.1) > 2 × b (3.2): true; ...".
std::string measured(const store::VerdictRow& v) {
  std::string out;
  const auto conditions = nlohmann::json::parse(v.conditions_json, nullptr, false);
  if (conditions.is_discarded()) return "";
  for (const char* group : {"inconclusive_if", "held_if"})
    for (const auto& c : conditions.value(group, nlohmann::json::array())) {
      if (std::string(group) == "inconclusive_if" && c.value("outcome", "") == "false") continue;
      out += (out.empty() ? "" : "; ") + c.value("values", "") + ": " + c.value("outcome", "");
    }
  return out;
}

// The rule's simulated power and false-positive rate ("" when the kind has no simulator yet).
std::pair<std::string, std::string> power_cells(const store::VerdictRow& v) {
  const auto power = nlohmann::json::parse(v.power_json, nullptr, false);
  if (!power.is_object() || !power.contains("power")) return {"not simulated", "not simulated"};
  std::string power_cell = format_number(power.value("power", double(NAN)), "{:.2f}");
  std::string rate_cell = format_number(power.value("false_positive_rate", double(NAN)), "{:.2f}");
  // The same rule at the seed noise the run measured, when the kind could measure it.
  if (power.contains("at_measured_noise") && power["at_measured_noise"].is_object()) {
    const auto& m = power["at_measured_noise"];
    const std::string noise = format_number(m.value("seed_noise", double(NAN)), "{:.2g}");
    power_cell += fmt::format(" ({} at the seed noise measured, {})",
                              format_number(m.value("power", double(NAN)), "{:.2f}"), noise);
    rate_cell += fmt::format(" ({} there)",
                             format_number(m.value("false_positive_rate", double(NAN)), "{:.2f}"));
  }
  return {power_cell, rate_cell};
}

// What a control says about its pipeline, or for a study of a claim the verdicts of its controls.
std::string control_cell(const store::VerdictRow& v, const std::vector<store::VerdictRow>& all) {
  if (!v.control.empty()) {
    return fmt::format("{} control of {}: {}", v.control, v.control_for, store::control_outcome(v));
  }
  std::string out;
  for (const store::VerdictRow& c : all) {
    if (c.control_for != v.study) continue;
    const std::string caveat = store::control_caveat(v, c);
    out += fmt::format("{}{} ({}): {}{}", out.empty() ? "" : "; ", c.study, c.control, c.verdict,
                       caveat.empty() ? "" : ": " + caveat);
  }
  return out;
}

}  // namespace

nlohmann::json hypotheses_section(const results::ResultSet& results) {
  if (results.verdicts.empty()) return nullptr;
  nlohmann::json rows = nlohmann::json::array();
  std::string links;
  int held = 0, failed = 0, open = 0;
  for (const store::VerdictRow& v : results.verdicts) {
    const auto [power, false_positive] = power_cells(v);
    rows.push_back({v.study, v.claim, v.predicts, measured(v), v.verdict, power, false_positive,
                    control_cell(v, results.verdicts), v.scale,
                    v.figures.empty() ? "" : "§ " + v.figures});
    held += v.verdict == "held" ? 1 : 0;
    failed += v.verdict == "did not hold" ? 1 : 0;
    open += v.verdict == "inconclusive" ? 1 : 0;
    if (!v.figures.empty())
      links += fmt::format("<li><b>{}</b>: <a href=\"{}#sec-{}\">figures</a>. Rule: {}</li>",
                           escape(v.study), escape(v.evidence), escape(v.figures), escape(v.rule));
    else
      links += fmt::format("<li><b>{}</b>. Rule: {}</li>", escape(v.study), escape(v.rule));
  }
  const std::string text = fmt::format(
      "<p>Each hypothesis was run as a study (<code>emlab study run NAME</code>) whose verdict "
      "rule was fixed in its file before it ran: <b>held</b> when every condition is true, "
      "<b>inconclusive</b> when a condition could not be measured or the data were too few, "
      "<b>did not hold</b> otherwise. Beside each verdict, the rule's <b>power</b> (how often it "
      "says held when the effect is simulated present, at the study's own sizes, seeds, "
      "checkpoints and example counts) and its <b>false-positive rate</b> (how often it says held "
      "when the effect is simulated absent): a rule is fit for use with power at least 0.8 and a "
      "false-positive rate at most 0.1, and a <i>did not hold</i> from a rule without power says "
      "little. Where the simulations assume a seed-to-seed noise that the run could measure, the "
      "same two figures at the measured noise follow in brackets. A <b>control</b> runs a study's "
      "pipeline where the answer is known: a positive "
      "control must say held, a negative one did not hold; where a control did not, the study's "
      "row says which of its verdicts that leaves unable to decide. Here: {} held, {} did not "
      "hold, {} "
      "inconclusive.</p><ul>{}</ul>",
      held, failed, open, links);
  return {{"id", "hypotheses"},
          {"title", "Hypotheses"},
          {"text", text},
          {"charts", nlohmann::json::array()},
          {"tables",
           {{{"title", "Verdict of every study"},
             {"columns",
              {"study", "hypothesis", "predicts", "measured (conditions of the rule)", "verdict",
               "power", "false-positive rate", "controls", "scale", "figures"}},
             {"rows", rows}}}},
          {"missing", nullptr}};
}

}  // namespace emlab::report
