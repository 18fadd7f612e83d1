#include "study/simulated_design.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "study/study_definition.hpp"
#include "sweep/ledger.hpp"
#include "tasks/factory.hpp"

namespace emlab::study {

results::ResultSet planned_results(const StudyDefinition& study) {
  results::ResultSet planned;
  planned.database = "simulated";
  planned.name = study.name;
  for (const StudySweep& sweep : study.sweeps)
    for (const sweep::RunSpec& spec : sweep::plan_sweep(sweep.config)) {
      results::RunResults run;
      run.row.plan = sweep::to_planned_run(spec);
      run.row.status = "completed";
      run.architecture = results::read_architecture(run.row.plan.config_json);
      const double tokens_per_step =
          double(spec.config.batch_size) * double(spec.config.sequence_length());
      const double flops_per_token =
          run.row.plan.tokens > 0 ? run.row.plan.flops / double(run.row.plan.tokens) : 0.0;
      for (int64_t step : spec.checkpoint_steps) {
        results::CheckpointResults c;
        c.row.step = step;
        c.row.tokens = int64_t(double(step) * tokens_per_step);
        c.row.flops = double(c.row.tokens) * flops_per_token;
        c.row.train_loss = NAN;
        c.row.validation_loss = NAN;
        run.checkpoints.push_back(std::move(c));
      }
      planned.runs.push_back(std::move(run));
    }
  // Answer lengths as the evaluator would store them: the mean target over held-out examples.
  for (const std::string& spec : study.analysis->tasks()) {
    const auto task = tasks::make_task(tasks::parse_task_spec(spec));
    const std::vector<tasks::Example> examples = task->test_set(200, 1);
    double total = 0;
    for (const tasks::Example& e : examples) total += double(e.target.size());
    if (!examples.empty()) planned.answer_tokens[spec] = total / double(examples.size());
  }
  return planned;
}

int64_t evaluated_examples(const results::RunResults& run) {
  const auto schedule = nlohmann::json::parse(run.row.plan.schedule_json, nullptr, false);
  if (schedule.is_discarded() || !schedule.contains("eval")) return 100;
  return schedule["eval"].value("examples", int64_t{100});
}

int64_t test_examples(const std::string& task_spec, int64_t wanted) {
  const auto task = tasks::make_task(tasks::parse_task_spec(task_spec));
  return int64_t(task->test_set(int(wanted), 1).size());
}

double sample_proportion(double p, int64_t n, Rng& rng) {
  if (n <= 0) return NAN;
  p = std::clamp(p, 0.0, 1.0);
  int64_t successes = 0;
  for (int64_t i = 0; i < n; ++i)
    successes += (static_cast<double>(rng.next_u64() >> 11) * 0x1.0p-53) < p ? 1 : 0;
  return double(successes) / double(n);
}

store::MetricRow proportion_row(const std::string& task, const std::string& metric, double value,
                                int64_t n) {
  const double se = std::sqrt(std::max(value * (1 - value), 0.0) / double(std::max<int64_t>(n, 1)));
  store::MetricRow row = continuous_row(task, metric, value, se, n);
  row.continuous = false;
  return row;
}

store::MetricRow continuous_row(const std::string& task, const std::string& metric, double value,
                                double standard_error, int64_t n) {
  store::MetricRow row;
  row.task = task;
  row.metric = metric;
  row.value = value;
  row.standard_error = standard_error;
  row.lower = value - 1.96 * standard_error;
  row.upper = value + 1.96 * standard_error;
  row.n = n;
  row.chance = NAN;
  return row;
}

}  // namespace emlab::study
