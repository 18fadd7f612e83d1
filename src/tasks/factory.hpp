#pragma once
// Tasks by name, as configs name them.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tasks/task.hpp"

namespace emlab::tasks {

// add, sub, mul, reverse, copy, hop, kb, stack, lookup_add, fact_and_sum, recall.
const std::vector<std::string>& task_names();

// Throws emlab::Error for an unknown name, an unknown parameter, or an impossible value; the
// message names the task, the parameter and what was expected.
std::unique_ptr<Task> make_task(const std::string& name, const TaskParams& params = {});
inline std::unique_ptr<Task> make_task(const TaskSpec& spec) {
  return make_task(spec.name, spec.params);
}

// "add", "add(digits=3 reverse=true)" or "hop(k=2, length=32)": a name and optional parameters
// separated by spaces or commas (the weight stays 1). Throws emlab::Error on malformed text.
TaskSpec parse_task_spec(std::string_view text);

}  // namespace emlab::tasks
