#include "sweep/ledger.hpp"

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/provenance.hpp"
#include "nn/blas.hpp"

namespace emlab::sweep {

namespace {

nlohmann::json eval_json(const EvalSettings& e) {
  return {{"tasks", e.tasks},
          {"examples", e.examples},
          {"seed", e.seed},
          {"batch", e.batch},
          {"samples", e.samples},
          {"temperature", e.temperature},
          {"pass_until_max", e.pass_until_max},
          {"metrics", e.metrics},
          {"validation_examples", e.validation_examples}};
}

EvalSettings eval_from_json(const nlohmann::json& j) {
  EvalSettings e;
  e.tasks = j.at("tasks").get<std::vector<std::string>>();
  e.examples = j.at("examples").get<int>();
  e.seed = j.at("seed").get<uint64_t>();
  e.batch = j.at("batch").get<int>();
  e.samples = j.at("samples").get<int>();
  e.temperature = j.at("temperature").get<float>();
  e.pass_until_max = j.at("pass_until_max").get<int>();
  e.metrics = j.at("metrics").get<std::vector<std::string>>();
  e.validation_examples = j.at("validation_examples").get<int>();
  return e;
}

nlohmann::json probes_json(const probe::ProbeOptions& p) {
  return {{"probes", p.probes},           {"block", p.block},
          {"repeats", p.repeats},         {"rows", p.rows},
          {"icl_rows", p.icl_rows},       {"seed", p.seed},
          {"first_token", p.first_token}, {"last_token", p.last_token}};
}

probe::ProbeOptions probes_from_json(const nlohmann::json& j) {
  probe::ProbeOptions p;
  p.probes = j.at("probes").get<std::vector<std::string>>();
  p.block = j.at("block").get<int>();
  p.repeats = j.at("repeats").get<int>();
  p.rows = j.at("rows").get<int>();
  p.icl_rows = j.at("icl_rows").get<int>();
  p.seed = j.at("seed").get<uint64_t>();
  p.first_token = j.at("first_token").get<int>();
  p.last_token = j.at("last_token").get<int>();
  return p;
}

}  // namespace

store::PlannedRun to_planned_run(const RunSpec& run) {
  store::PlannedRun p;
  p.name = run.name;
  p.config_json = train::to_json(run.config).dump();
  nlohmann::json schedule{{"checkpoint_steps", run.checkpoint_steps},
                          {"eval", eval_json(run.eval)}};
  // Only sweeps with probes carry the key: plans stored before probes existed stay equal.
  if (run.probes) schedule["probes"] = probes_json(*run.probes);
  p.schedule_json = schedule.dump();
  p.seed = run.config.seed;
  p.parameters = run.config.model.parameter_count();
  p.non_embedding_parameters = run.config.model.non_embedding_parameter_count();
  p.steps = run.config.steps;
  p.tokens = run.config.steps * run.config.batch_size * run.config.sequence_length();
  p.flops = static_cast<double>(p.tokens) *
            run.config.model.training_flops_per_token(run.config.sequence_length());
  return p;
}

RunSpec run_spec_from_stored(const store::PlannedRun& stored) {
  RunSpec run;
  run.name = stored.name;
  try {
    run.config = train::train_config_from_json(nlohmann::json::parse(stored.config_json));
    const nlohmann::json schedule = nlohmann::json::parse(stored.schedule_json);
    run.checkpoint_steps = schedule.at("checkpoint_steps").get<std::vector<int64_t>>();
    run.eval = eval_from_json(schedule.at("eval"));
    if (schedule.contains("probes")) run.probes = probes_from_json(schedule.at("probes"));
  } catch (const nlohmann::json::exception& e) {
    fail("run {}: stored plan is not readable: {}", stored.name, e.what());
  }
  return run;
}

std::string worker_name() {
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  return fmt::format("{}:{}", host, getpid());
}

namespace {
// Store errors other than a lost run become LedgerFailure.
template <typename F>
auto recording(F&& f) {
  try {
    return f();
  } catch (const store::RunLost&) {
    throw;
  } catch (const Error& e) {
    throw LedgerFailure(e.what());
  }
}
}  // namespace

DatabaseLedger::DatabaseLedger(store::Database& db, std::string worker)
    : store_(db), worker_(std::move(worker)) {}

std::optional<Assignment> DatabaseLedger::claim() {
  return recording([&]() -> std::optional<Assignment> {
    nlohmann::json machine = machine_description();
    machine["blas"] = nn::blas_description();  // which matrix product made the numbers
    const auto row = store_.claim_next_run(worker_, code_version(), machine.dump());
    if (!row) return std::nullopt;
    Assignment a;
    a.run_id = row->id;
    a.spec = run_spec_from_stored(row->plan);
    a.steps_done = store_.checkpoint_steps(row->id);
    return a;
  });
}

void DatabaseLedger::progress(int64_t run_id, int64_t step, double loss, double tokens_per_second,
                              double eta_seconds) {
  recording(
      [&] { store_.update_progress(run_id, worker_, step, loss, tokens_per_second, eta_seconds); });
}

void DatabaseLedger::checkpoint(int64_t run_id, const store::CheckpointWrite& write) {
  recording([&] { store_.write_checkpoint(run_id, worker_, write); });
}

void DatabaseLedger::finish(int64_t run_id, bool completed, const std::string& reason,
                            double final_loss, const store::RunTimes& times) {
  recording([&] { store_.finish_run(run_id, worker_, completed, reason, final_loss, times); });
}

void DatabaseLedger::release(int64_t run_id, const store::RunTimes& times) {
  recording([&] { store_.release_run(run_id, worker_, times); });
}

}  // namespace emlab::sweep
