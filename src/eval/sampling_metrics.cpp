#include "eval/sampling_metrics.hpp"

#include <map>

#include "core/error.hpp"
#include "tasks/task.hpp"

namespace emlab::eval {
namespace {

PassUntilResult finish(size_t required, size_t passes, size_t draws) {
  PassUntilResult result;
  result.required = required;
  result.passes = passes;
  result.draws = draws;
  result.censored = passes < required;
  result.estimate = static_cast<double>(passes) / static_cast<double>(draws);
  result.unbiased = (result.censored || required == 1)
                        ? result.estimate
                        : static_cast<double>(required - 1) / static_cast<double>(draws - 1);
  return result;
}

}  // namespace

double pass_at_k(size_t n, size_t c, size_t k) {
  require(k >= 1, "pass_at_k: k must be at least 1");
  require(k <= n, "pass_at_k: k = {} exceeds the number of samples n = {}", k, n);
  require(c <= n, "pass_at_k: c = {} passes exceeds the number of samples n = {}", c, n);
  // Every k-subset holds a pass when fewer than k samples failed.
  if (n - c < k) return 1.0;
  double none_pass = 1.0;  // C(n−c, k)/C(n, k)
  for (size_t i = n - c + 1; i <= n; ++i)
    none_pass *= 1.0 - static_cast<double>(k) / static_cast<double>(i);
  return 1.0 - none_pass;
}

PassUntilResult pass_until(const std::vector<bool>& outcomes, size_t required) {
  require(required >= 1, "pass_until: required passes r must be at least 1");
  require(!outcomes.empty(), "pass_until: no sampled outcomes");
  size_t passes = 0, draws = 0;
  while (draws < outcomes.size() && passes < required) passes += outcomes[draws++] ? 1 : 0;
  return finish(required, passes, draws);
}

PassUntilResult pass_until(const std::function<bool()>& draw, size_t required, size_t max_draws) {
  require(required >= 1, "pass_until: required passes r must be at least 1");
  require(max_draws >= 1, "pass_until: max_draws must be at least 1");
  size_t passes = 0, draws = 0;
  while (draws < max_draws && passes < required) {
    ++draws;
    passes += draw() ? 1 : 0;
  }
  return finish(required, passes, draws);
}

VoteResult majority_vote(const std::vector<Sample>& samples, int32_t separator) {
  require(!samples.empty(), "majority_vote: no samples");
  struct Tally {
    size_t votes = 0;
    size_t first_index = 0;
    bool passed = false;
  };
  std::map<Tokens, Tally> tallies;
  VoteResult result;
  for (size_t i = 0; i < samples.size(); ++i) {
    Tokens answer = samples[i].output;
    if (separator >= 0) {
      const auto written = tasks::final_answer(samples[i].output, separator);
      if (!written) {
        ++result.abstained;
        continue;
      }
      answer.assign(written->begin(), written->end());
    }
    auto [it, inserted] = tallies.try_emplace(std::move(answer), Tally{0, i, samples[i].passed});
    require(it->second.passed == samples[i].passed,
            "majority_vote: samples[{}] and samples[{}] give the same answer but different "
            "pass judgements",
            it->second.first_index, i);
    ++it->second.votes;
  }
  result.distinct = tallies.size();
  for (const auto& [answer, tally] : tallies) {
    const bool better = tally.votes > result.votes ||
                        (tally.votes == result.votes && tally.first_index < result.first_index);
    if (tally.votes > result.votes) result.tied = 0;
    if (tally.votes >= result.votes) ++result.tied;
    if (better) {
      result.answer = answer;
      result.votes = tally.votes;
      result.first_index = tally.first_index;
      result.passed = tally.passed;
    }
  }
  return result;
}

}  // namespace emlab::eval
