#include "imports/metric_naming.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <utility>

namespace emlab::imports {

std::string stored_task_name(std::string_view task, int shots, std::string_view filter) {
  std::string name(task);
  if (shots > 0) name += fmt::format("_{}shot", shots);
  if (!filter.empty() && filter != "none") name += fmt::format(":{}", filter);
  return name;
}

bool is_zero_one_metric(std::string_view metric) {
  static constexpr std::array<std::string_view, 9> kZeroOne = {
      "acc",     "acc_norm",        "exact_match",          "em", "mc1", "acc_mutual_info",
      "correct", "exact_str_match", "multiple_choice_grade"};
  for (std::string_view m : kZeroOne)
    if (metric == m) return true;
  return false;
}

bool is_known_metric_name(std::string_view metric) {
  // The continuous ones of lm-evaluation-harness, BIG-bench and emlab's own evaluations.
  static constexpr std::array<std::string_view, 19> kContinuous = {"mc2",
                                                                   "f1",
                                                                   "bleu",
                                                                   "rouge1",
                                                                   "rouge2",
                                                                   "rougeL",
                                                                   "chrf",
                                                                   "ter",
                                                                   "brier_score",
                                                                   "perplexity",
                                                                   "word_perplexity",
                                                                   "byte_perplexity",
                                                                   "bits_per_byte",
                                                                   "likelihood_difference",
                                                                   "token_accuracy",
                                                                   "token_edit_distance",
                                                                   "prob_correct",
                                                                   "mc_grade",
                                                                   "score"};
  if (is_zero_one_metric(metric)) return true;
  for (std::string_view m : kContinuous)
    if (metric == m) return true;
  return false;
}

double known_chance_accuracy(std::string_view task) {
  // Answer options per item, from each benchmark's paper (and its lm-evaluation-harness task):
  // ARC, HellaSwag, SciQ, OpenBookQA, LogiQA, MMLU, SWAG, PROST and RACE offer 4 options; MathQA
  // 5; PIQA, WinoGrande, WSC, BoolQ, COPA and the binary GLUE tasks 2; MNLI 3.
  static constexpr std::array<std::pair<std::string_view, double>, 26> kOptions = {{
      {"arc_easy", 4},  {"arc_challenge", 4}, {"hellaswag", 4}, {"sciq", 4},   {"openbookqa", 4},
      {"logiqa", 4},    {"swag", 4},          {"prost", 4},     {"race", 4},   {"mathqa", 5},
      {"piqa", 2},      {"winogrande", 2},    {"wsc", 2},       {"wsc273", 2}, {"boolq", 2},
      {"copa", 2},      {"rte", 2},           {"cola", 2},      {"sst2", 2},   {"mrpc", 2},
      {"qnli", 2},      {"qqp", 2},           {"wnli", 2},      {"mnli", 3},   {"mnli_mismatch", 3},
      {"headqa_en", 4},
  }};
  for (const auto& [name, options] : kOptions)
    if (task == name) return 1.0 / options;
  if (task.starts_with("mmlu") || task.starts_with("hendrycksTest-")) return 0.25;
  return NAN;
}

}  // namespace emlab::imports
