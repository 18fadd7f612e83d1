#include "store/run_store.hpp"

#include <chrono>

#include "store/statement.hpp"

namespace emlab::store {

namespace {

double unix_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

constexpr const char* kRunColumns =
    "id, name, config_json, schedule_json, seed, parameters, non_embedding_parameters, "
    "steps_planned, tokens_planned, flops_planned, code_version, machine_json, status, reason, "
    "worker, attempts, progress_step, progress_loss, tokens_per_second, eta_seconds, heartbeat, "
    "train_seconds, eval_seconds, write_seconds, final_loss, "
    "(SELECT COUNT(*) FROM checkpoints c WHERE c.run_id = runs.id), "
    "(SELECT validation_loss FROM checkpoints c WHERE c.run_id = runs.id ORDER BY step DESC "
    "LIMIT 1), family, "
    // An evaluation stored by `emlab import` holds the import's description as its config
    // ({"imported": {"format", "model"}}) where our own runs hold their training config.
    "CASE WHEN json_valid(config_json) THEN json_type(config_json, '$.imported') IS NOT NULL "
    "ELSE 0 END, tokens_known, flops_known";

RunRow read_run(const Statement& s) {
  RunRow r;
  r.id = s.integer(0);
  r.plan.name = s.text(1);
  r.plan.config_json = s.text(2);
  r.plan.schedule_json = s.text(3);
  r.plan.seed = static_cast<uint64_t>(s.integer(4));
  r.plan.parameters = s.integer(5);
  r.plan.non_embedding_parameters = s.integer(6);
  r.plan.steps = s.integer(7);
  r.plan.tokens = s.integer(8);
  r.plan.flops = s.real(9);
  r.code_version = s.text(10);
  r.machine_json = s.text(11);
  r.status = s.text(12);
  r.reason = s.text(13);
  r.worker = s.text(14);
  r.attempts = s.integer(15);
  r.progress_step = s.integer(16);
  r.progress_loss = s.real(17);
  r.tokens_per_second = s.real(18);
  r.eta_seconds = s.real(19);
  r.heartbeat = s.real(20);
  r.train_seconds = s.real(21);
  r.eval_seconds = s.real(22);
  r.write_seconds = s.real(23);
  r.final_loss = s.real(24);
  r.checkpoints_done = s.integer(25);
  r.last_validation_loss = s.real(26);
  r.family = s.text(27);
  r.imported = s.integer(28) != 0;
  r.tokens_known = s.integer(29) != 0;
  r.flops_known = s.integer(30) != 0;
  return r;
}

}  // namespace

bool RunStore::add_planned_run(const PlannedRun& run) {
  Database::Transaction tx(db_);
  Statement find(db_, "SELECT config_json, schedule_json FROM runs WHERE name = ?");
  find.bind(1, run.name);
  if (find.step()) {
    require(find.text(0) == run.config_json,
            "database {}: run '{}' is stored with a different training config than this sweep "
            "plans; use a new database, or restore the config it was planned with",
            db_.path().string(), run.name);
    require(find.text(1) == run.schedule_json,
            "database {}: run '{}' is stored with a different checkpoint/evaluation schedule than "
            "this sweep plans; use a new database, or restore the [checkpoints] and [eval] tables",
            db_.path().string(), run.name);
    return false;
  }
  Statement insert(db_,
                   "INSERT INTO runs (name, config_json, schedule_json, seed, code_version, "
                   "machine_json, parameters, non_embedding_parameters, steps_planned, "
                   "tokens_planned, flops_planned, status) "
                   "VALUES (?, ?, ?, ?, '', '{}', ?, ?, ?, ?, ?, 'planned')");
  insert.bind(1, run.name)
      .bind(2, run.config_json)
      .bind(3, run.schedule_json)
      .bind(4, static_cast<int64_t>(run.seed))
      .bind(5, run.parameters)
      .bind(6, run.non_embedding_parameters)
      .bind(7, run.steps)
      .bind(8, run.tokens)
      .bind(9, run.flops);
  insert.run();
  tx.commit();
  return true;
}

int RunStore::reset_interrupted_runs() {
  return Statement(db_, "UPDATE runs SET status = 'planned' WHERE status = 'running'").run();
}

int RunStore::reset_failed_runs() {
  return Statement(db_, "UPDATE runs SET status = 'planned', reason = '' WHERE status = 'failed'")
      .run();
}

std::optional<RunRow> RunStore::claim_next_run(const std::string& worker,
                                               const std::string& code_version,
                                               const std::string& machine_json) {
  Database::Transaction tx(db_);
  // Longest first: the sweep then ends with short runs filling the cores, not one long run alone.
  // Only runs of the plan the sweep was started with (sweep_meta 'plan', a JSON array of names):
  // runs a changed config no longer lists stay stored but are not trained.
  Statement next(db_,
                 "SELECT id FROM runs WHERE status = 'planned' AND (NOT EXISTS (SELECT 1 FROM "
                 "sweep_meta WHERE key = 'plan') OR name IN (SELECT value FROM json_each((SELECT "
                 "value FROM sweep_meta WHERE key = 'plan')))) ORDER BY flops_planned DESC, id "
                 "LIMIT 1");
  if (!next.step()) return std::nullopt;
  const int64_t id = next.integer(0);
  Statement claim(db_,
                  "UPDATE runs SET status = 'running', worker = ?, attempts = attempts + 1, "
                  "code_version = ?, machine_json = ?, heartbeat = ? WHERE id = ?");
  claim.bind(1, worker).bind(2, code_version).bind(3, machine_json).bind(4, unix_now()).bind(5, id);
  claim.run();
  tx.commit();
  return run(id);
}

void RunStore::require_owner(int64_t run_id, const std::string& worker) {
  Statement s(db_, "SELECT status, worker, name FROM runs WHERE id = ?");
  s.bind(1, run_id);
  require(s.step(), "database {}: no run with id {}", db_.path().string(), run_id);
  if (s.text(0) != "running" || s.text(1) != worker)
    throw RunLost(fmt::format("database {}: run '{}' is no longer held by worker {} (now {} by {})",
                              db_.path().string(), s.text(2), worker, s.text(0), s.text(1)));
}

void RunStore::update_progress(int64_t run_id, const std::string& worker, int64_t step, double loss,
                               double tokens_per_second, double eta_seconds) {
  Statement s(db_,
              "UPDATE runs SET progress_step = ?, progress_loss = ?, tokens_per_second = ?, "
              "eta_seconds = ?, heartbeat = ? WHERE id = ? AND worker = ? AND status = 'running'");
  s.bind(1, step).bind(2, loss).bind(3, tokens_per_second).bind(4, eta_seconds).bind(5, unix_now());
  s.bind(6, run_id).bind(7, worker);
  if (s.run() == 0) require_owner(run_id, worker);
}

void RunStore::write_checkpoint(int64_t run_id, const std::string& worker,
                                const CheckpointWrite& write) {
  Database::Transaction tx(db_);
  require_owner(run_id, worker);
  const CheckpointRow& c = write.checkpoint;
  Statement insert(db_,
                   "INSERT INTO checkpoints (run_id, step, tokens, flops, train_loss, "
                   "validation_loss) VALUES (?, ?, ?, ?, ?, ?)");
  insert.bind(1, run_id).bind(2, c.step).bind(3, c.tokens).bind(4, c.flops);
  insert.bind(5, c.train_loss).bind(6, c.validation_loss);
  insert.run();
  const int64_t checkpoint_id = sqlite3_last_insert_rowid(db_.handle());

  Statement loss(db_, "INSERT OR REPLACE INTO step_losses (run_id, step, loss) VALUES (?, ?, ?)");
  for (const auto& [step, value] : write.step_losses) {
    loss.reset();
    loss.bind(1, run_id).bind(2, step).bind(3, value).run();
  }
  Statement example(db_,
                    "INSERT INTO example_records (checkpoint_id, task, example, record_json) "
                    "VALUES (?, ?, ?, ?)");
  for (const ExampleRow& e : write.examples) {
    example.reset();
    example.bind(1, checkpoint_id).bind(2, e.task).bind(3, e.example).bind(4, e.record_json).run();
  }
  Statement metric(db_,
                   "INSERT INTO metrics (checkpoint_id, task, metric, value, lower, upper, stderr, "
                   "n, chance, continuous) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (const MetricRow& m : write.metrics) {
    metric.reset();
    metric.bind(1, checkpoint_id).bind(2, m.task).bind(3, m.metric).bind(4, m.value);
    metric.bind(5, m.lower).bind(6, m.upper).bind(7, m.standard_error).bind(8, m.n);
    metric.bind(9, m.chance).bind(10, int64_t{m.continuous ? 1 : 0}).run();
  }
  Statement probe(db_,
                  "INSERT INTO probe_scores (checkpoint_id, probe, layer, head, value, seed) "
                  "VALUES (?, ?, ?, ?, ?, ?)");
  for (const ProbeScoreRow& p : write.probes) {
    probe.reset();
    probe.bind(1, checkpoint_id)
        .bind(2, p.probe)
        .bind(3, int64_t{p.layer})
        .bind(4, int64_t{p.head});
    probe.bind(5, p.value).bind(6, static_cast<int64_t>(p.seed)).run();
  }
  Statement progress(db_, "UPDATE runs SET progress_step = MAX(progress_step, ?) WHERE id = ?");
  progress.bind(1, c.step).bind(2, run_id).run();
  tx.commit();
}

void RunStore::finish_run(int64_t run_id, const std::string& worker, bool completed,
                          const std::string& reason, double final_loss, const RunTimes& times) {
  Database::Transaction tx(db_);
  require_owner(run_id, worker);
  Statement s(db_,
              "UPDATE runs SET status = ?, reason = ?, final_loss = ?, eta_seconds = 0, "
              "train_seconds = train_seconds + ?, eval_seconds = eval_seconds + ?, "
              "write_seconds = write_seconds + ?, heartbeat = ? WHERE id = ?");
  s.bind(1, std::string_view(completed ? "completed" : "failed")).bind(2, reason);
  s.bind(3, final_loss).bind(4, times.train_seconds).bind(5, times.eval_seconds);
  s.bind(6, times.write_seconds).bind(7, unix_now()).bind(8, run_id);
  s.run();
  tx.commit();
}

void RunStore::release_run(int64_t run_id, const std::string& worker, const RunTimes& times) {
  Database::Transaction tx(db_);
  require_owner(run_id, worker);
  Statement s(db_,
              "UPDATE runs SET status = 'planned', train_seconds = train_seconds + ?, "
              "eval_seconds = eval_seconds + ?, write_seconds = write_seconds + ? WHERE id = ?");
  s.bind(1, times.train_seconds).bind(2, times.eval_seconds).bind(3, times.write_seconds);
  s.bind(4, run_id).run();
  tx.commit();
}

void RunStore::fail_runs_of_worker(const std::string& worker, const std::string& reason) {
  Statement s(db_,
              "UPDATE runs SET status = 'failed', reason = ? WHERE worker = ? AND status = "
              "'running'");
  s.bind(1, reason).bind(2, worker).run();
}

std::vector<RunRow> RunStore::runs() {
  Statement s(db_, std::string("SELECT ") + kRunColumns + " FROM runs ORDER BY id");
  std::vector<RunRow> rows;
  while (s.step()) rows.push_back(read_run(s));
  return rows;
}

std::optional<RunRow> RunStore::run(int64_t run_id) {
  Statement s(db_, std::string("SELECT ") + kRunColumns + " FROM runs WHERE id = ?");
  s.bind(1, run_id);
  if (!s.step()) return std::nullopt;
  return read_run(s);
}

std::vector<int64_t> RunStore::checkpoint_steps(int64_t run_id) {
  std::vector<int64_t> steps;
  for (const CheckpointRow& c : checkpoints(run_id)) steps.push_back(c.step);
  return steps;
}

std::vector<CheckpointRow> RunStore::checkpoints(int64_t run_id) {
  // A run that does not know its tokens (FLOPs) knows a checkpoint's only where one was stored.
  Statement s(db_,
              "SELECT c.step, c.tokens, c.flops, c.train_loss, c.validation_loss, "
              "r.tokens_known OR c.tokens > 0, r.flops_known OR c.flops > 0 FROM checkpoints c "
              "JOIN runs r ON r.id = c.run_id WHERE c.run_id = ? ORDER BY c.step");
  s.bind(1, run_id);
  std::vector<CheckpointRow> rows;
  while (s.step())
    rows.push_back({s.integer(0), s.integer(1), s.real(2), s.real(3), s.real(4), s.integer(5) != 0,
                    s.integer(6) != 0});
  return rows;
}

std::vector<MetricRow> RunStore::metrics(int64_t run_id, int64_t step) {
  Statement s(db_,
              "SELECT m.task, m.metric, m.value, m.lower, m.upper, m.stderr, m.n, m.chance, "
              "m.continuous FROM metrics m JOIN checkpoints c ON c.id = m.checkpoint_id WHERE "
              "c.run_id = ? AND c.step = ? ORDER BY m.rowid");
  s.bind(1, run_id).bind(2, step);
  std::vector<MetricRow> rows;
  while (s.step())
    rows.push_back({s.text(0), s.text(1), s.real(2), s.real(3), s.real(4), s.real(5), s.integer(6),
                    s.real(7), s.integer(8) != 0});
  return rows;
}

std::vector<ProbeScoreRow> RunStore::probe_scores(int64_t run_id, int64_t step) {
  Statement s(db_,
              "SELECT p.probe, p.layer, p.head, p.value, p.seed FROM probe_scores p JOIN "
              "checkpoints c ON c.id = p.checkpoint_id WHERE c.run_id = ? AND c.step = ? ORDER BY "
              "p.rowid");
  s.bind(1, run_id).bind(2, step);
  std::vector<ProbeScoreRow> rows;
  while (s.step())
    rows.push_back({s.text(0), static_cast<int>(s.integer(1)), static_cast<int>(s.integer(2)),
                    s.real(3), static_cast<uint64_t>(s.integer(4))});
  return rows;
}

std::vector<std::pair<int64_t, double>> RunStore::step_losses(int64_t run_id) {
  Statement s(db_, "SELECT step, loss FROM step_losses WHERE run_id = ? ORDER BY step");
  s.bind(1, run_id);
  std::vector<std::pair<int64_t, double>> rows;
  while (s.step()) rows.emplace_back(s.integer(0), s.real(1));
  return rows;
}

void RunStore::set_meta(const std::string& key, const std::string& value) {
  Statement s(db_, "INSERT OR REPLACE INTO sweep_meta (key, value) VALUES (?, ?)");
  s.bind(1, key).bind(2, value).run();
}

std::map<std::string, double> RunStore::mean_answer_tokens() {
  // The first checkpoint per task comes from the primary-key index alone; only its records are
  // then read and parsed.
  Statement s(db_,
              "WITH first AS (SELECT task, MIN(checkpoint_id) AS id FROM example_records "
              "GROUP BY task) "
              "SELECT r.task, AVG(json_array_length(r.record_json, '$.target')) "
              "FROM first JOIN example_records AS r ON r.checkpoint_id = first.id "
              "AND r.task = first.task "
              "WHERE json_type(r.record_json, '$.target') = 'array' GROUP BY r.task");
  std::map<std::string, double> lengths;
  while (s.step()) lengths[s.text(0)] = s.real(1);
  return lengths;
}

std::map<int64_t, std::vector<std::string>> RunStore::import_source_paths() {
  Statement s(
      db_,
      "SELECT DISTINCT c.run_id, s.id, s.path FROM metrics m JOIN checkpoints c ON c.id = "
      "m.checkpoint_id JOIN import_sources s ON s.id = m.source_id ORDER BY c.run_id, s.id");
  std::map<int64_t, std::vector<std::string>> paths;
  while (s.step()) paths[s.integer(0)].push_back(s.text(2));
  return paths;
}

std::optional<std::string> RunStore::meta(const std::string& key) {
  Statement s(db_, "SELECT value FROM sweep_meta WHERE key = ?");
  s.bind(1, key);
  if (!s.step()) return std::nullopt;
  return s.text(0);
}

}  // namespace emlab::store
