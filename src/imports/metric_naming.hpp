#pragma once
// How another tool's task and metric names become ours, and what each metric is: a 0/1 outcome
// per example (the kind a mirage comes from) or a continuous one, and the chance level of the
// well-known multiple-choice benchmarks.
#include <string>
#include <string_view>

namespace emlab::imports {

// The task under which a score is stored: the file's task name, "_5shot" when the evaluation
// used 5 examples in the prompt (nothing for 0 or unknown shots), and ":FILTER" for an
// lm-evaluation-harness filter other than "none" ("gsm8k_5shot:strict-match").
std::string stored_task_name(std::string_view task, int shots, std::string_view filter = "none");

// Whether the metric is an average of per-example 0/1 outcomes (acc, acc_norm, exact_match, em,
// multiple_choice_grade...): discontinuous in the model's probabilities.
bool is_zero_one_metric(std::string_view metric);

// Whether the name is a metric the harnesses and emlab write (acc, acc_norm, exact_match, mc2, f1,
// bleu, perplexity, bits_per_byte...): how a wide table's column name is told apart from a task.
bool is_known_metric_name(std::string_view metric);

// Chance accuracy of a multiple-choice benchmark (1 / number of answer options) for the tasks
// whose option count is fixed and known; NaN for anything else. Only meaningful for 0/1 metrics.
double known_chance_accuracy(std::string_view task);

}  // namespace emlab::imports
