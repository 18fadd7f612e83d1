#pragma once
// `emlab study run`: the study's sweeps (resumable like any sweep), then its analysis, then its
// verdict: printed with the numbers and the rule that decided it and stored in the database, where
// the report's Hypotheses section shows it (the CLI writes the report afterwards).
#include <optional>
#include <string>

#include "study/rule_power.hpp"
#include "study/study_definition.hpp"
#include "sweep/sweep_session.hpp"

namespace emlab::study {

struct StudyRunOptions {
  sweep::SweepOptions sweep;              // workers, threads, quiet (database: from the definition)
  bool analyse_only = false;              // skip the sweeps: judge what the database holds
  int simulations = kDefaultSimulations;  // per world, for the rule's power (0: skip)
};

// The verdict of a finished analysis, as stored. `seconds` is the study's wall time; none (an
// analysis alone) keeps the time an earlier run of the study at this scale stored.
store::VerdictRow judge(const StudyDefinition& study, store::Database& db,
                        std::optional<double> seconds, const RulePower& power = {});

// Prints the verdict table of a stored verdict.
void print_verdict(const store::VerdictRow& verdict);
// Prints a rule's power and false-positive rate with the worlds behind them.
void print_power(const RulePower& power);

// Returns the process exit status: 0 when a verdict was written, 130 when a sweep was interrupted
// (run again to resume), 1 when a sweep could not go on.
int run_study(const StudyDefinition& study, const StudyRunOptions& options);

}  // namespace emlab::study
