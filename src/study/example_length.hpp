#pragma once
// How many tokens a task mixture's training examples take, for converting token budgets into
// examples seen.
#include <string>
#include <vector>

namespace emlab::study {

// Mean tokens one training example of the mixture takes in a packed row (<bos>, prompt and
// answer), over 2,000 seeded draws per task.
double mean_example_tokens(const std::vector<std::string>& task_specs);

struct PoolSize {
  double examples = 0, tokens = 0;  // distinct examples and the tokens they take in packed rows
  bool repeated() const { return tokens > 0; }
};

// The pool a run's training stream repeats, rebuilt from its stored config exactly as training
// built it (a task with fewer distinct examples than its share pools all it has, so this can be
// less than data.pool_size). For a corpus cut by data.corpus_fraction: no examples, the tokens of
// the part it draws from. Empty for a run on fresh data or a whole corpus.
PoolSize repeated_pool(const std::string& config_json);

}  // namespace emlab::study
