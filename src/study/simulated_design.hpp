#pragma once
// A study's design as results without numbers: every run its sweeps plan (sizes, budgets, seeds,
// arms), completed, with a checkpoint at each planned step. A kind's simulator fills in the
// numbers the effect would give (or its absence), with the sampling noise of the design's example
// counts, so a verdict rule can be tried at the design it will run with before anything trains.
#include <cstdint>
#include <string>

#include "core/rng.hpp"
#include "results/result_set.hpp"

namespace emlab::study {

struct StudyDefinition;

results::ResultSet planned_results(const StudyDefinition& study);

// Held-out examples the run's evaluation scores per task (its schedule's eval.examples).
int64_t evaluated_examples(const results::RunResults& run);

// Held-out examples a task's evaluation scores when `wanted` are asked for: fewer when its test
// split holds fewer distinct prompts (1-digit sums hold about 9).
int64_t test_examples(const std::string& task_spec, int64_t wanted);

// The share of n Bernoulli(p) draws that succeed: a proportion measured on n examples.
double sample_proportion(double p, int64_t n, Rng& rng);

// A metric row as the evaluator stores it: a proportion over n examples (0/1 outcomes, binomial
// standard error) or a continuous mean with its standard error.
store::MetricRow proportion_row(const std::string& task, const std::string& metric, double value,
                                int64_t n);
store::MetricRow continuous_row(const std::string& task, const std::string& metric, double value,
                                double standard_error, int64_t n);

}  // namespace emlab::study
