#include "eval/position_accuracy.hpp"

#include <map>

#include "core/error.hpp"

namespace emlab::eval {

std::vector<bool> position_correct(const Tokens& output, const Tokens& target) {
  std::vector<bool> correct(target.size());
  for (size_t i = 0; i < target.size(); ++i)
    correct[i] = i < output.size() && output[i] == target[i];
  return correct;
}

double position_product(const std::vector<std::vector<bool>>& correct) {
  require(!correct.empty(), "position_product: no examples");
  // Per target length: examples, and how many of them are right at each position.
  std::map<size_t, std::pair<size_t, std::vector<size_t>>> by_length;
  for (const std::vector<bool>& example : correct) {
    require(!example.empty(), "position_product: an example has no target positions");
    auto& [examples, right] = by_length[example.size()];
    right.resize(example.size());
    ++examples;
    for (size_t i = 0; i < example.size(); ++i) right[i] += example[i] ? 1 : 0;
  }
  double predicted = 0;
  for (const auto& [length, group] : by_length) {
    const auto& [examples, right] = group;
    double product = 1;
    for (size_t count : right) product *= double(count) / double(examples);
    predicted += product * double(examples) / double(correct.size());
  }
  return predicted;
}

}  // namespace emlab::eval
