#include "study/study_runner.hpp"

#include <fmt/format.h>

#include <chrono>

#include "core/format.hpp"
#include "core/provenance.hpp"
#include "core/timer.hpp"
#include "results/result_set.hpp"
#include "store/run_store.hpp"
#include "store/verdict_store.hpp"
#include "sweep/local_sweep.hpp"

namespace emlab::study {

namespace {

double unix_time() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string show(double v) {
  return format_number(v);
}

// Completed runs in the study's database. A study whose sweeps train nothing now (an earlier pass
// or another study trained them) keeps the time stored with an earlier verdict, as --analyse-only
// does: a resumed `--all` then shows what each study cost, not the resume.
int completed_runs(const StudyDefinition& study) {
  store::Database db(study.database());
  int n = 0;
  for (const store::RunRow& r : store::RunStore(db).runs()) n += r.status == "completed" ? 1 : 0;
  return n;
}

}  // namespace

store::VerdictRow judge(const StudyDefinition& study, store::Database& db,
                        std::optional<double> seconds, const RulePower& power) {
  const Measurements measured = study.analysis->measure(results::load_results(db));
  const Verdict verdict = decide(study.rule, measured);
  store::VerdictRow row;
  row.study = study.name;
  row.claim = study.claim;
  row.predicts = study.predicts;
  row.verdict = verdict.verdict;
  row.rule = study.rule.words;
  row.measurements_json = measured.to_json().dump();
  row.conditions_json = verdict.conditions_json().dump();
  row.scale = study.scale;
  row.figures = study.figures;
  row.code_version = code_version();
  row.control = study.control;
  row.control_for = study.control_for;
  RulePower judged_power = power;
  add_power_at_measured_noise(judged_power, study, measured);
  row.power_json = judged_power.to_json().dump();
  row.seconds = seconds.value_or(0);
  for (const store::VerdictRow& earlier : store::VerdictStore(db).verdicts()) {
    if (earlier.study != row.study || earlier.scale != row.scale) continue;
    if (!seconds) row.seconds = earlier.seconds;
    // --simulations 0 keeps the figures an earlier run of the same rule at this scale stored,
    // but not their power at that run's measured noise, which this run's data may not share.
    RulePower kept =
        RulePower::from_json(nlohmann::json::parse(earlier.power_json, nullptr, false));
    if (power.skipped && earlier.rule == row.rule && kept.simulated) {
      kept.measured_seed_noise = kept.power_at_measured_noise = NAN;
      kept.false_positive_rate_at_measured_noise = NAN;
      row.power_json = kept.to_json().dump();
    }
  }
  row.created = unix_time();
  store::VerdictStore(db).write(row);
  return row;
}

void print_verdict(const store::VerdictRow& v) {
  fmt::print("\nstudy {} ({} scale): {}\n", v.study, v.scale, v.verdict);
  if (!v.control.empty())
    fmt::print("  a {} control of {}: {}\n", v.control, v.control_for, store::control_outcome(v));
  fmt::print("  claim: {}\n  rule:  {}\n", v.claim, v.rule);
  const auto conditions = nlohmann::json::parse(v.conditions_json);
  for (const char* group : {"inconclusive_if", "held_if"})
    for (const auto& c : conditions[group])
      fmt::print("  {:<16} {:<13} {}\n", group, c["outcome"].get<std::string>(),
                 c["values"].get<std::string>());
  fmt::print("  {:<32} {:>11} {:>25}\n", "measurement", "value", "95% interval");
  for (const auto& m : nlohmann::json::parse(v.measurements_json)) {
    auto number = [](const nlohmann::json& x) {
      return x.is_number()   ? show(x.get<double>())
             : x.is_string() ? x.get<std::string>()
                             : kNoValue;
    };
    const std::string interval =
        m["lower"].is_number() ? fmt::format("[{}, {}]", number(m["lower"]), number(m["upper"]))
                               : "";
    fmt::print("  {:<32} {:>11} {:>25}\n", m["name"].get<std::string>(), number(m["value"]),
               interval);
  }
  print_power(RulePower::from_json(nlohmann::json::parse(v.power_json, nullptr, false)));
}

void print_power(const RulePower& power) {
  fmt::print("  rule at this design: {}\n", describe(power));
  if (!power.simulated) return;
  fmt::print("    effect present: {}\n    effect absent:  {}\n", power.present, power.absent);
}

int run_study(const StudyDefinition& study, const StudyRunOptions& options) {
  Timer elapsed;
  // The rule's power comes first: it depends on the design only, not on what training gives.
  RulePower power;
  if (options.simulations > 0)
    power = rule_power(study, options.simulations, 1, options.sweep.quiet);
  else
    power.skipped = true;
  if (!options.sweep.quiet) {
    fmt::print("study {}: verdict rule at this design\n", study.name);
    print_power(power);
  }
  bool trained = false;
  if (!options.analyse_only) {
    const int completed_before = completed_runs(study);
    for (size_t i = 0; i < study.sweeps.size(); ++i) {
      const StudySweep& sw = study.sweeps[i];
      if (!options.sweep.quiet)
        fmt::print("study {}: sweep {} of {} ({}{})\n", study.name, i + 1, study.sweeps.size(),
                   sw.config.name,
                   sw.config.run_prefix.empty() ? "" : ", arm " + sw.config.run_prefix);
      const int code = sweep::run_local_sweep(sw.config, options.sweep);
      if (code != 0) {
        fmt::print(stderr,
                   "study {}: a sweep stopped (exit {}); run the same command again to "
                   "resume\n",
                   study.name, code);
        return code;
      }
    }
    trained = completed_runs(study) > completed_before;
  }
  store::VerdictRow verdict;
  {
    store::Database db(study.database());
    std::optional<double> seconds;
    if (!options.analyse_only) {
      seconds = elapsed.seconds();
      if (!trained)
        for (const store::VerdictRow& earlier : store::VerdictStore(db).verdicts())
          if (earlier.study == study.name && earlier.scale == study.scale) seconds.reset();
    }
    verdict = judge(study, db, seconds, power);
  }
  print_verdict(verdict);
  return 0;
}

}  // namespace emlab::study
