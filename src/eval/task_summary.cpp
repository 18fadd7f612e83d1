#include "eval/task_summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <numeric>

#include "core/error.hpp"
#include "eval/choice_metrics.hpp"
#include "eval/position_accuracy.hpp"

namespace emlab::eval {
namespace {

// How to read one row off a record's metrics: nullopt when the record lacks the group.
struct RowSpec {
  std::string name;
  bool continuous;
  bool higher_is_better;
  std::function<std::optional<double>(const ExampleMetrics&)> value;
  std::function<double(const ExampleMetrics&)> chance;  // empty: no chance level
};

MetricSummary aggregate(const RowSpec& spec, const std::vector<ExampleMetrics>& scored,
                        const BootstrapOptions& bootstrap) {
  std::vector<double> values, chances;
  for (const auto& m : scored) {
    const std::optional<double> v = spec.value(m);
    if (!v) continue;
    values.push_back(*v);
    if (spec.chance) chances.push_back(spec.chance(m));
  }
  MetricSummary row;
  row.name = spec.name;
  row.continuous = spec.continuous;
  row.higher_is_better = spec.higher_is_better;
  row.estimate = bootstrap_mean(values, bootstrap);
  if (spec.chance) {
    // With K varying across records the chance level of the mean is the mean of the 1/K_i.
    row.chance =
        std::accumulate(chances.begin(), chances.end(), 0.0) / static_cast<double>(chances.size());
    row.worse_than_chance = worse_than_chance(row.estimate.mean, *row.chance, row.higher_is_better);
  }
  return row;
}

using Value = std::optional<double>;
constexpr bool kContinuous = true, kDiscontinuous = false;
constexpr bool kHigher = true, kLower = false;

// A row reading field `field` of the record's group `group` (absent when the record lacks it).
template <typename Group, typename Field>
RowSpec field_row(std::string name, bool continuous, bool higher,
                  std::optional<Group> ExampleMetrics::*group, Field Group::*field) {
  return {std::move(name),
          continuous,
          higher,
          [=](const ExampleMetrics& m) -> Value {
            const auto& g = m.*group;
            return g ? Value(static_cast<double>((*g).*field)) : Value();
          },
          {}};
}

// A multiple-choice row with its chance level: a field of ChoiceMetrics, or 0 when `chance` is
// null (the chance-normalised rows).
RowSpec choice_row(std::string name, bool continuous, bool higher, double ChoiceMetrics::*field,
                   double ChoiceMetrics::*chance) {
  RowSpec spec = field_row(std::move(name), continuous, higher, &ExampleMetrics::choice, field);
  spec.chance = [=](const ExampleMetrics& m) { return chance ? (*m.choice).*chance : 0.0; };
  return spec;
}

// A row from the sampled group.
RowSpec sampled_row(std::string name, bool continuous,
                    std::function<double(const SampledMetrics&)> read) {
  return {std::move(name),
          continuous,
          kHigher,
          [read = std::move(read)](const ExampleMetrics& m) -> Value {
            return m.sampled ? Value(read(*m.sampled)) : Value();
          },
          {}};
}

std::vector<RowSpec> row_specs(const ScoreOptions& scoring) {
  using E = ExampleMetrics;
  using G = GenerationMetrics;
  using L = LikelihoodMetrics;
  using C = ChoiceMetrics;
  std::vector<RowSpec> specs = {
      field_row("exact_match", kDiscontinuous, kHigher, &E::generation, &G::exact_match),
      field_row("token_accuracy", kContinuous, kHigher, &E::generation, &G::token_accuracy),
      field_row("token_edit_distance", kContinuous, kLower, &E::generation, &G::edit_distance),
      field_row("target_logprob", kContinuous, kHigher, &E::likelihood, &L::target_logprob),
      field_row("mean_token_prob", kContinuous, kHigher, &E::likelihood, &L::mean_token_prob),
      choice_row("mc_grade", kDiscontinuous, kHigher, &C::grade, &C::chance_grade),
      choice_row("mc_grade_normalised", kDiscontinuous, kHigher, &C::grade_normalised, nullptr),
      choice_row("brier", kContinuous, kLower, &C::brier, &C::chance_brier),
      choice_row("brier_skill", kContinuous, kHigher, &C::brier_skill, nullptr),
      choice_row("prob_correct", kContinuous, kHigher, &C::prob_correct, &C::chance_grade),
      choice_row("prob_correct_normalised", kContinuous, kHigher, &C::prob_correct_normalised,
                 nullptr),
  };
  // pass@k and PassUntil estimate a probability, so they move continuously with the model (though
  // nonlinearly: ≈ 1 − (1 − p^L)^k); a majority vote is a 0/1 outcome per example.
  for (size_t i = 0; i < scoring.pass_k.size(); ++i) {
    specs.push_back(sampled_row(fmt::format("pass@{}", scoring.pass_k[i]), kContinuous,
                                [i](const SampledMetrics& s) { return s.pass_at_k[i]; }));
  }
  const size_t r = scoring.pass_until_r;
  specs.push_back(sampled_row(fmt::format("pass_until(r={})", r), kContinuous,
                              [](const SampledMetrics& s) { return s.pass_until.estimate; }));
  if (r >= 2) {
    specs.push_back(sampled_row(fmt::format("pass_until_unbiased(r={})", r), kContinuous,
                                [](const SampledMetrics& s) { return s.pass_until.unbiased; }));
  }
  specs.push_back(sampled_row("self_consistency", kDiscontinuous,
                              [](const SampledMetrics& s) { return s.vote.passed ? 1.0 : 0.0; }));
  // The vote's gain over greedy decoding, per example (−1, 0 or 1): its mean is self_consistency −
  // exact_match, and its standard error is that of a paired difference on the same examples, far
  // smaller than the two proportions' errors combined when most examples agree.
  specs.push_back({"self_consistency_gain",
                   kDiscontinuous,
                   kHigher,
                   [](const ExampleMetrics& m) -> Value {
                     if (!m.sampled || !m.generation) return Value();
                     return double(m.sampled->vote.passed) - double(m.generation->exact_match);
                   },
                   {}});
  return specs;
}

// Exact match predicted from per-position accuracies (eval/position_accuracy.hpp): a statistic of
// the whole test set, not a mean of per-example values, so it has its own row after the
// generation group's last.
constexpr std::string_view kPositionProduct = "position_product";
constexpr std::string_view kLastGenerationRow = "token_edit_distance";

std::optional<MetricSummary> position_product_row(const std::vector<ExampleRecord>& records,
                                                  const BootstrapOptions& bootstrap) {
  std::vector<std::vector<bool>> correct;
  for (const ExampleRecord& r : records)
    if (r.has_generation()) correct.push_back(position_correct(r.output, r.target));
  if (correct.empty()) return std::nullopt;
  MetricSummary row;
  row.name = kPositionProduct;
  row.estimate = bootstrap_statistic(
      correct.size(),
      [&correct](const std::vector<size_t>& indices) {
        std::vector<std::vector<bool>> drawn;
        drawn.reserve(indices.size());
        for (size_t i : indices) drawn.push_back(correct[i]);
        return position_product(drawn);
      },
      bootstrap);
  return row;
}

}  // namespace

std::vector<std::string> metric_names(const SummaryOptions& options) {
  std::vector<std::string> names;
  for (const RowSpec& spec : row_specs(options.scoring)) {
    names.push_back(spec.name);
    if (spec.name == kLastGenerationRow) names.emplace_back(kPositionProduct);
  }
  return names;
}

bool metric_higher_is_better(std::string_view name) {
  for (const RowSpec& spec : row_specs(ScoreOptions{}))
    if (spec.name == name) return spec.higher_is_better;
  // Lower-is-better metrics of imported evaluations (lm-evaluation-harness, BIG-bench).
  static constexpr std::string_view kLower[] = {"perplexity",
                                                "ppl",
                                                "word_perplexity",
                                                "byte_perplexity",
                                                "bits_per_byte",
                                                "likelihood_difference",
                                                "brier_score",
                                                "calibration_multiple_choice_brier_score",
                                                "expected_calibration_error"};
  for (std::string_view lower : kLower)
    if (name == lower) return false;
  return true;
}

const MetricSummary& TaskSummary::metric(std::string_view name) const {
  for (const auto& m : metrics)
    if (m.name == name) return m;
  std::string names;
  for (const auto& m : metrics) names += (names.empty() ? "" : ", ") + m.name;
  fail("task '{}' has no metric '{}' (has: {})", task, name, names);
}

TaskSummary summarise_task(const std::vector<ExampleRecord>& records,
                           const SummaryOptions& options) {
  require(!records.empty(), "summarise_task: no records");
  TaskSummary summary;
  summary.task = records.front().task;
  summary.records = records.size();
  summary.options = options;

  std::vector<ExampleMetrics> scored;
  scored.reserve(records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    const std::string label = fmt::format("record {} of task '{}'", i, summary.task);
    require(records[i].task == summary.task, "{}: task is '{}', expected '{}'", label,
            records[i].task, summary.task);
    scored.push_back(score_example(records[i], options.scoring, label));
  }

  for (const RowSpec& spec : row_specs(options.scoring)) {
    const bool present = std::any_of(scored.begin(), scored.end(), [&](const ExampleMetrics& m) {
      return spec.value(m).has_value();
    });
    if (!present) continue;
    MetricSummary row = aggregate(spec, scored, options.bootstrap);
    if (spec.name.starts_with("pass_until"))
      for (const auto& m : scored)
        row.censored += (m.sampled && m.sampled->pass_until.censored) ? 1 : 0;
    summary.metrics.push_back(std::move(row));
    if (spec.name == kLastGenerationRow)
      if (auto product = position_product_row(records, options.bootstrap))
        summary.metrics.push_back(std::move(*product));
  }
  return summary;
}

}  // namespace emlab::eval
