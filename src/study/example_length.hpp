#pragma once
// How many tokens a task mixture's training examples take, for converting token budgets into
// examples seen.
#include <string>
#include <vector>

namespace emlab::study {

// Mean tokens one training example of the mixture takes in a packed row (<bos>, prompt and
// answer), over 2,000 seeded draws per task.
double mean_example_tokens(const std::vector<std::string>& task_specs);

}  // namespace emlab::study
