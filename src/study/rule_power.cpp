#include "study/rule_power.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <exception>

#include "core/format.hpp"
#include "core/timer.hpp"
#include "study/simulated_design.hpp"
#include "study/study_definition.hpp"

namespace emlab::study {

namespace {

// The share of `simulations` worlds with `effect` in which the rule says "held".
double held_share(const StudyDefinition& study, const StudyKind& analysis,
                  const results::ResultSet& planned, Effect effect, int simulations, uint64_t seed,
                  bool quiet) {
  const std::shared_ptr<const StudyKind> cheaper = analysis.for_simulation();
  const StudyKind& kind = cheaper ? *cheaper : analysis;
  // A counter on a terminal; into a log file, only the line it ends with.
  const bool counter = !quiet && ::isatty(::fileno(stderr)) != 0;
  // Worlds are independent and each fit in them is small and serial, so they share the cores;
  // the count is the same for any number of threads (each world has its own stream).
  int held = 0, done = 0;
  std::exception_ptr failure;
#pragma omp parallel for schedule(dynamic) reduction(+ : held)
  for (int i = 0; i < simulations; ++i) {
    try {
      Rng rng(seed * 1'000'003 + uint64_t(i) * 2 + (effect == Effect::kPresent ? 0 : 1));
      results::ResultSet world = planned;
      kind.simulate(world, effect, rng);
      held += decide(study.rule, kind.measure(world)).verdict == "held" ? 1 : 0;
    } catch (...) {
#pragma omp critical(rule_power_failure)
      if (!failure) failure = std::current_exception();
    }
#pragma omp critical(rule_power_counter)
    {
      ++done;
      if (counter || (!quiet && done == simulations))
        fmt::print(stderr, "\r  simulating {} ({}): {}/{}", study.name,
                   effect == Effect::kPresent ? "effect present" : "effect absent", done,
                   simulations);
    }
  }
  if (failure) std::rethrow_exception(failure);
  if (!quiet) fmt::print(stderr, "\n");
  return double(held) / double(simulations);
}

}  // namespace

nlohmann::json RulePower::to_json() const {
  if (!simulated) return skipped ? nlohmann::json{{"skipped", true}} : nlohmann::json::object();
  nlohmann::json j = {{"simulations", simulations},
                      {"power", power},
                      {"false_positive_rate", false_positive_rate},
                      {"present", present},
                      {"absent", absent},
                      {"seconds", seconds}};
  if (!control.empty()) j["control"] = control;
  if (std::isfinite(assumed_seed_noise)) j["assumed_seed_noise"] = assumed_seed_noise;
  if (std::isfinite(measured_seed_noise))
    j["at_measured_noise"] = {{"seed_noise", measured_seed_noise},
                              {"power", power_at_measured_noise},
                              {"false_positive_rate", false_positive_rate_at_measured_noise}};
  return j;
}

RulePower RulePower::from_json(const nlohmann::json& j) {
  RulePower p;
  if (j.is_object()) p.skipped = j.value("skipped", false);
  if (!j.is_object() || !j.contains("power")) return p;
  p.simulated = true;
  p.simulations = j.value("simulations", 0);
  p.power = j.value("power", double(NAN));
  p.false_positive_rate = j.value("false_positive_rate", double(NAN));
  p.present = j.value("present", "");
  p.absent = j.value("absent", "");
  p.seconds = j.value("seconds", 0.0);
  p.control = j.value("control", "");
  p.assumed_seed_noise = j.value("assumed_seed_noise", double(NAN));
  if (j.contains("at_measured_noise") && j["at_measured_noise"].is_object()) {
    const nlohmann::json& m = j["at_measured_noise"];
    p.measured_seed_noise = m.value("seed_noise", double(NAN));
    p.power_at_measured_noise = m.value("power", double(NAN));
    p.false_positive_rate_at_measured_noise = m.value("false_positive_rate", double(NAN));
  }
  return p;
}

RulePower rule_power(const StudyDefinition& study, int simulations, uint64_t seed, bool quiet) {
  RulePower out;
  const auto effects = study.analysis->simulated_effects();
  if (!effects) return out;
  Timer elapsed;
  const results::ResultSet planned = planned_results(study);
  out.simulated = true;
  out.simulations = simulations;
  out.control = study.control;
  out.present = effects->present;
  out.absent = effects->absent;
  const StudyKind& kind = *study.analysis;
  out.power = held_share(study, kind, planned, Effect::kPresent, simulations, seed, quiet);
  out.false_positive_rate =
      held_share(study, kind, planned, Effect::kAbsent, simulations, seed, quiet);
  if (const auto noise = kind.seed_noise()) out.assumed_seed_noise = noise->assumed;
  out.seconds = elapsed.seconds();
  return out;
}

void add_power_at_measured_noise(RulePower& power, const StudyDefinition& study,
                                 const Measurements& measured, uint64_t seed) {
  const auto noise = study.analysis->seed_noise();
  if (!power.simulated || !noise) return;
  const Measurement* m = measured.find(noise->measurement);
  if (m == nullptr || !std::isfinite(m->value)) return;
  const std::shared_ptr<const StudyKind> noisier = study.analysis->with_seed_noise(m->value);
  if (!noisier) return;
  Timer elapsed;
  const results::ResultSet planned = planned_results(study);
  power.assumed_seed_noise = noise->assumed;
  power.measured_seed_noise = m->value;
  power.power_at_measured_noise =
      held_share(study, *noisier, planned, Effect::kPresent, power.simulations, seed, true);
  power.false_positive_rate_at_measured_noise =
      held_share(study, *noisier, planned, Effect::kAbsent, power.simulations, seed, true);
  power.seconds += elapsed.seconds();
}

std::string describe(const RulePower& p) {
  if (p.skipped) return "not simulated (--simulations 0)";
  if (!p.simulated) return "not simulated yet (this study kind has no simulator)";
  // A negative control's rule must rarely say held in either world.
  const bool negative = p.control == "negative";
  const char* judged = p.fit_for_use()
                           ? (negative ? "; a negative control, so both must be at most 0.1" : "")
                       : negative ? ": NOT fit for use (a negative control needs both at most 0.1)"
                                  : ": NOT fit for use (needs power >= 0.8, rate <= 0.1)";
  std::string out = fmt::format("power {}, false-positive rate {} ({} simulations per world){}",
                                format_number(p.power), format_number(p.false_positive_rate),
                                p.simulations, judged);
  if (std::isfinite(p.measured_seed_noise))
    out += fmt::format(
        "; at the seed noise this run measured ({} where the simulations assume {}): power {}, "
        "false-positive rate {}",
        format_number(p.measured_seed_noise), format_number(p.assumed_seed_noise),
        format_number(p.power_at_measured_noise),
        format_number(p.false_positive_rate_at_measured_noise));
  return out;
}

}  // namespace emlab::study
