#include "tasks/sequence_tasks.hpp"

#include <algorithm>
#include <cmath>

#include "tasks/alphabet.hpp"

namespace emlab::tasks {

CopyTask::CopyTask(ParamReader& params) : Task("copy") {
  length_ = params.integer32("length", 8, 1, 512);
  symbols_ = params.integer32("symbols", kLetters, 2, kLetters, "the alphabet has 26 letters");
  repeats_ = params.integer32("repeats", 2, 2, 16);
  configure(params);
}

std::optional<double> CopyTask::chance_exact_match() const {
  // A guess of the copied sequence; the later copies follow from it.
  return std::pow(static_cast<double>(symbols_), -length_);
}

Example CopyTask::draw(Rng& rng, bool) const {
  std::vector<int32_t> sequence(static_cast<size_t>(length_));
  for (auto& t : sequence)
    t = letter_token(static_cast<int>(rng.below(static_cast<uint64_t>(symbols_))));
  std::vector<int32_t> prompt = sequence;
  prompt.push_back(tok::kBar);
  std::vector<int32_t> answer;
  for (int r = 1; r < repeats_; ++r) {
    if (r > 1) answer.push_back(tok::kBar);
    answer.insert(answer.end(), sequence.begin(), sequence.end());
  }
  return make_example(std::move(prompt), std::move(answer));
}

ReverseTask::ReverseTask(ParamReader& params) : Task("reverse") {
  digits_ = params.integer32("digits", 4, 1, 64);
  configure(params);
}

std::optional<double> ReverseTask::chance_exact_match() const {
  return std::pow(10.0, -digits_);
}

Example ReverseTask::draw(Rng& rng, bool) const {
  std::vector<int32_t> digits(static_cast<size_t>(digits_));
  for (auto& t : digits) t = digit_token(static_cast<int>(rng.below(10)));
  std::vector<int32_t> prompt{tok::kTilde};
  prompt.insert(prompt.end(), digits.begin(), digits.end());
  prompt.push_back(tok::kEquals);
  std::reverse(digits.begin(), digits.end());
  return make_example(std::move(prompt), std::move(digits));
}

}  // namespace emlab::tasks
