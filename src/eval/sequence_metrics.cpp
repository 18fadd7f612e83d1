#include "eval/sequence_metrics.hpp"

#include <algorithm>
#include <numeric>

#include "core/error.hpp"
#include "tasks/task.hpp"

namespace emlab::eval {

bool exact_match(const Tokens& output, const Tokens& target) {
  return output == target;
}

bool final_answer_match(const Tokens& output, const Tokens& target, int32_t separator) {
  if (separator < 0) return exact_match(output, target);
  const auto got = tasks::final_answer(output, separator);
  const auto want = tasks::final_answer(target, separator);
  return got && want && std::equal(got->begin(), got->end(), want->begin(), want->end());
}

double token_accuracy(const Tokens& output, const Tokens& target) {
  require(!target.empty(), "token_accuracy: target is empty");
  const size_t common = std::min(output.size(), target.size());
  size_t matches = 0;
  for (size_t i = 0; i < common; ++i) matches += output[i] == target[i] ? 1 : 0;
  return static_cast<double>(matches) / static_cast<double>(std::max(output.size(), target.size()));
}

size_t token_edit_distance(const Tokens& output, const Tokens& target) {
  // Wagner-Fischer with two rows: row[j] is the distance between output[0, i) and target[0, j).
  std::vector<size_t> previous(target.size() + 1), current(target.size() + 1);
  std::iota(previous.begin(), previous.end(), size_t{0});
  for (size_t i = 1; i <= output.size(); ++i) {
    current[0] = i;
    for (size_t j = 1; j <= target.size(); ++j) {
      const size_t substitute = previous[j - 1] + (output[i - 1] == target[j - 1] ? 0 : 1);
      current[j] = std::min({substitute, previous[j] + 1, current[j - 1] + 1});
    }
    std::swap(previous, current);
  }
  return previous[target.size()];
}

double mean_token_probability(const std::vector<double>& token_probs) {
  require(!token_probs.empty(), "mean_token_probability: target_token_probs is empty");
  return std::accumulate(token_probs.begin(), token_probs.end(), 0.0) /
         static_cast<double>(token_probs.size());
}

}  // namespace emlab::eval
