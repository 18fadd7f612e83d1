#include "eval/record_json.hpp"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace emlab::eval {

namespace {

nlohmann::json number(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

double read_number(const nlohmann::json& v) {
  return v.is_null() ? std::numeric_limits<double>::quiet_NaN() : v.get<double>();
}

std::vector<double> read_numbers(const nlohmann::json& array) {
  std::vector<double> out;
  for (const auto& v : array) out.push_back(read_number(v));
  return out;
}

}  // namespace

nlohmann::json to_json(const ExampleRecord& r) {
  nlohmann::json j = {
      {"task", r.task}, {"prompt", r.prompt}, {"target", r.target}, {"output", r.output}};
  if (r.answer_separator >= 0) j["answer_separator"] = r.answer_separator;
  if (r.has_likelihood()) {
    j["target_logprob"] = number(r.target_logprob);
    nlohmann::json probs = nlohmann::json::array();
    for (double p : r.target_token_probs) probs.push_back(number(p));
    j["target_token_probs"] = probs;
  }
  if (r.has_choices()) {
    nlohmann::json choices = nlohmann::json::array();
    for (double c : r.choice_logprobs) choices.push_back(number(c));
    j["choice_logprobs"] = choices;
    j["correct_choice"] = r.correct_choice;
  }
  if (r.has_samples()) {
    nlohmann::json samples = nlohmann::json::array();
    for (const Sample& s : r.samples)
      samples.push_back({{"output", s.output}, {"passed", s.passed}});
    j["samples"] = samples;
  }
  if (!r.until_outcomes.empty()) j["until_outcomes"] = r.until_outcomes;
  return j;
}

ExampleRecord record_from_json(const nlohmann::json& j) {
  ExampleRecord r;
  try {
    r.task = j.at("task").get<std::string>();
    r.prompt = j.at("prompt").get<Tokens>();
    r.target = j.at("target").get<Tokens>();
    r.output = j.at("output").get<Tokens>();
    r.answer_separator = j.value("answer_separator", int32_t{-1});
    if (j.contains("target_token_probs")) {
      r.target_logprob = read_number(j.at("target_logprob"));
      r.target_token_probs = read_numbers(j.at("target_token_probs"));
    }
    if (j.contains("choice_logprobs")) {
      r.choice_logprobs = read_numbers(j.at("choice_logprobs"));
      r.correct_choice = j.at("correct_choice").get<int64_t>();
    }
    if (j.contains("samples"))
      for (const auto& s : j.at("samples"))
        r.samples.push_back({s.at("output").get<Tokens>(), s.at("passed").get<bool>()});
    if (j.contains("until_outcomes"))
      r.until_outcomes = j.at("until_outcomes").get<std::vector<bool>>();
  } catch (const nlohmann::json::exception& e) {
    fail("example record: {}", e.what());
  }
  return r;
}

}  // namespace emlab::eval
