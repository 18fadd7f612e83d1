#pragma once
// How often a study's verdict rule says "held" when the claimed effect is there, and when it is
// not, at the study's own design. The kind simulates the measurements of both worlds on the runs
// the sweeps plan (sizes, budgets, seeds, checkpoints, example counts), and each simulation goes
// through the kind's analysis and the rule exactly as a trained study would. A rule is fit for use
// with power >= 0.8 and a false-positive rate <= 0.1.
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "study/measurement.hpp"

namespace emlab::study {

struct StudyDefinition;

struct RulePower {
  bool simulated = false;            // false: the kind has no simulator yet, or skipped is set
  bool skipped = false;              // simulations were not asked for (--simulations 0)
  int simulations = 0;               // per world
  double power = NAN;                // share of effect-present simulations judged "held"
  double false_positive_rate = NAN;  // share of effect-absent simulations judged "held"
  std::string present, absent;       // the two worlds, in words
  double seconds = 0;
  // "negative" for a negative control: its metric or design cannot show the effect, so its rule
  // must rarely say held in either world (power <= 0.1 as well as the rate).
  std::string control;
  // The same rule with the simulator's seed noise set to what a trained run measured (NaN when
  // the kind has no such parameter, or the run could not measure it): a verdict reached where
  // this power is low says little, whatever the power at the assumed noise.
  double assumed_seed_noise = NAN, measured_seed_noise = NAN;
  double power_at_measured_noise = NAN, false_positive_rate_at_measured_noise = NAN;

  bool fit_for_use() const {
    if (control == "negative") return simulated && power <= 0.1 && false_positive_rate <= 0.1;
    return simulated && power >= 0.8 && false_positive_rate <= 0.1;
  }
  nlohmann::json to_json() const;
  static RulePower from_json(const nlohmann::json& j);  // {} gives an unsimulated RulePower
};

constexpr int kDefaultSimulations = 200;

// Progress is printed to stderr unless quiet.
RulePower rule_power(const StudyDefinition& study, int simulations = kDefaultSimulations,
                     uint64_t seed = 1, bool quiet = true);

// Fills power's *_measured_noise fields when the study's kind names a seed-noise measurement and
// `measured` holds a finite value of it: the same simulations with that noise.
void add_power_at_measured_noise(RulePower& power, const StudyDefinition& study,
                                 const Measurements& measured, uint64_t seed = 1);

// "power 0.93, false-positive rate 0.02 (200 simulations per world)", or why there is none.
std::string describe(const RulePower& power);

}  // namespace emlab::study
