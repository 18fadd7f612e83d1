#pragma once
// The metrics of one task as a plain-text table (one row per metric: value, interval, standard
// error, n, chance level and flags) and as JSON with the same content.
#include <nlohmann/json.hpp>
#include <string>

#include "eval/task_summary.hpp"

namespace emlab::eval {

std::string format_table(const TaskSummary& summary);

// {"task", "records", "bootstrap": {...}, "metrics": [{"name", "kind", "higher_is_better",
// "value", "ci": [lo, hi], "standard_error", "n", "resolution", "chance", "worse_than_chance",
// "censored"}]}; NaN and infinite numbers are written as null.
nlohmann::json to_json(const TaskSummary& summary);

}  // namespace emlab::eval
