#include "tasks/task.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <set>

#include "core/error.hpp"
#include "tasks/alphabet.hpp"

namespace emlab::tasks {
namespace {

uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Enough tries that only an (almost) empty side of the split exhausts them.
constexpr int kTrainTries = 100000;

}  // namespace

ParamReader::ParamReader(std::string task, const TaskParams& params)
    : task_(std::move(task)), given_(params.entries()) {}

const std::string* ParamReader::find(const std::string& key) {
  read_.push_back(key);
  const auto it = given_.find(key);
  return it == given_.end() ? nullptr : &it->second;
}

int64_t ParamReader::integer(const std::string& key, int64_t fallback, int64_t min, int64_t max,
                             std::string_view why) {
  int64_t value = fallback;
  if (const std::string* text = find(key)) {
    const char* end = text->data() + text->size();
    const auto [ptr, ec] = std::from_chars(text->data(), end, value);
    require(ec == std::errc() && ptr == end,
            "task '{}': parameter {} must be an integer (got '{}')", task_, key, *text);
  }
  require(value >= min && value <= max,
          "task '{}': parameter {} must be from {} to {}{}{} (got {})", task_, key, min, max,
          why.empty() ? "" : ": ", why, value);
  effective_.emplace_back(key, std::to_string(value));
  return value;
}

uint64_t ParamReader::seed(const std::string& key, uint64_t fallback) {
  uint64_t value = fallback;
  if (const std::string* text = find(key)) {
    const char* end = text->data() + text->size();
    const auto [ptr, ec] = std::from_chars(text->data(), end, value);
    require(ec == std::errc() && ptr == end,
            "task '{}': parameter {} must be a non-negative integer (got '{}')", task_, key, *text);
  }
  effective_.emplace_back(key, std::to_string(value));
  return value;
}

double ParamReader::real(const std::string& key, double fallback, double min, double max) {
  double value = fallback;
  if (const std::string* text = find(key)) {
    char* end = nullptr;
    value = std::strtod(text->c_str(), &end);
    require(!text->empty() && end == text->c_str() + text->size() && std::isfinite(value),
            "task '{}': parameter {} must be a number (got '{}')", task_, key, *text);
  }
  require(value >= min && value <= max, "task '{}': parameter {} must be from {} to {} (got {})",
          task_, key, min, max, value);
  effective_.emplace_back(key, fmt::format("{}", value));
  return value;
}

bool ParamReader::boolean(const std::string& key, bool fallback) {
  bool value = fallback;
  if (const std::string* text = find(key)) {
    require(*text == "true" || *text == "false" || *text == "1" || *text == "0",
            "task '{}': parameter {} must be true or false (got '{}')", task_, key, *text);
    value = *text == "true" || *text == "1";
  }
  effective_.emplace_back(key, value ? "true" : "false");
  return value;
}

void ParamReader::finish() const {
  for (const auto& [key, value] : given_) {
    if (std::find(read_.begin(), read_.end(), key) != read_.end()) continue;
    std::string known;
    for (const auto& k : read_) known += (known.empty() ? "" : ", ") + k;
    fail("task '{}': unknown parameter '{}' (parameters: {})", task_, key, known);
  }
}

std::string ParamReader::summary() const {
  std::string text;
  for (const auto& [key, value] : effective_) text += (text.empty() ? "" : " ") + key + "=" + value;
  return text;
}

uint64_t prompt_hash(std::span<const int32_t> prompt, uint64_t salt) {
  uint64_t h = mix64(salt ^ 0x5eed5eed5eed5eedULL);
  for (const int32_t t : prompt) h = mix64(h + 0x9e3779b97f4a7c15ULL + static_cast<uint64_t>(t));
  return mix64(h ^ prompt.size());
}

std::span<const int32_t> strip_eos(std::span<const int32_t> tokens) {
  const auto it = std::find(tokens.begin(), tokens.end(), tok::kEos);
  return tokens.first(static_cast<size_t>(it - tokens.begin()));
}

std::optional<std::span<const int32_t>> final_answer(std::span<const int32_t> tokens,
                                                     int32_t separator) {
  const std::span<const int32_t> answer = strip_eos(tokens);
  if (separator < 0) return answer;
  const auto it = std::find(answer.begin(), answer.end(), separator);
  if (it == answer.end()) return std::nullopt;
  return answer.subspan(static_cast<size_t>(it - answer.begin()) + 1);
}

void Task::configure(ParamReader& reader) {
  split_.test_fraction = reader.real("test_fraction", 0.1, 0.001, 0.5);
  split_.split_seed = reader.seed("split_seed", 0);
  parameters_ = reader.summary();
  reader.finish();
}

bool prompt_in_split(std::span<const int32_t> prompt, double test_fraction, uint64_t split_seed) {
  const uint64_t h = prompt_hash(prompt, split_seed);
  return static_cast<double>(h >> 11) * 0x1.0p-53 < test_fraction;
}

bool Task::in_test_split(std::span<const int32_t> prompt) const {
  return prompt_in_split(prompt, split_.test_fraction, split_.split_seed);
}

Example Task::sample_train(Rng& rng) const {
  for (int i = 0; i < kTrainTries; ++i) {
    Example e = draw(rng, false);
    if (trainable(e)) return e;
  }
  fail(
      "task {}: no training example outside the test split in {} draws; the prompt space is "
      "too small for test_fraction",
      describe(), kTrainTries);
}

std::vector<Example> Task::test_set(int n, uint64_t seed) const {
  require(n >= 0, "task '{}': test set size must be non-negative (got {})", name_, n);
  Rng rng(seed);
  std::vector<Example> out;
  std::set<std::vector<int32_t>> seen;
  // A small test split is exhausted long before this many draws.
  const int64_t budget = 100 * static_cast<int64_t>(n) + 10000;
  for (int64_t i = 0; i < budget && static_cast<int>(out.size()) < n; ++i) {
    Example e = draw(rng, true);
    if (!testable(e)) continue;
    if (!seen.insert(e.prompt).second) continue;
    out.push_back(std::move(e));
  }
  return out;
}

bool Task::is_correct(const Example& example, std::span<const int32_t> output) const {
  const int32_t separator = answer_separator().value_or(-1);
  const auto got = final_answer(output, separator);
  const auto want = final_answer(example.target, separator);
  return got && want && std::equal(got->begin(), got->end(), want->begin(), want->end());
}

Example Task::make_example(std::vector<int32_t> prompt, std::vector<int32_t> answer) const {
  Example e;
  e.task = name_;
  e.prompt = std::move(prompt);
  e.target = std::move(answer);
  e.target.push_back(tok::kEos);
  return e;
}

}  // namespace emlab::tasks
