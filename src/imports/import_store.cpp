#include "imports/import_store.hpp"

#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "core/error.hpp"
#include "store/run_store.hpp"
#include "store/statement.hpp"

namespace emlab::imports {

namespace {

using store::Statement;

double unix_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// The run of a model: inserted when new, else checked to be an imported run of the same size.
int64_t upsert_run(store::Database& db, const ModelFacts& m, const std::string& format) {
  Statement find(db, "SELECT id, parameters FROM runs WHERE name = ?");
  find.bind(1, m.name);
  if (find.step()) {
    const int64_t id = find.integer(0);
    require(store::RunStore(db).run(id)->imported,
            "database {}: run '{}' is one of this database's own training runs; import the "
            "evaluations into another database, or give the model another name with --model",
            db.path().string(), m.name);
    require(find.integer(1) == int64_t(std::llround(m.params)),
            "database {}: model '{}' is stored with {} parameters, this file gives {}; are they "
            "the same model?",
            db.path().string(), m.name, find.integer(1), int64_t(std::llround(m.params)));
    Statement widen(db,
                    "UPDATE runs SET steps_planned = MAX(steps_planned, ?1), progress_step = "
                    "MAX(progress_step, ?1), family = CASE WHEN family = '' THEN ?2 ELSE family "
                    "END WHERE id = ?3");
    widen.bind(1, std::max<int64_t>(m.step, 0)).bind(2, m.family).bind(3, id).run();
    return id;
  }
  // The "imported" key is what marks the run as imported (store::RunRow::imported); the code
  // version 'imported' only says that no code of ours trained it.
  const nlohmann::json config = {{"imported", {{"format", format}, {"model", m.source}}},
                                 {"family", m.family}};
  Statement insert(
      db,
      "INSERT INTO runs (name, config_json, seed, code_version, machine_json, "
      "parameters, non_embedding_parameters, status, steps_planned, tokens_planned, "
      "flops_planned, family, progress_step) VALUES (?1, ?2, 0, 'imported', '{}', ?3, ?4, "
      "'completed', ?5, ?6, ?7, ?8, ?5)");
  insert.bind(1, m.name)
      .bind(2, config.dump())
      .bind(3, int64_t(std::llround(m.params)))
      .bind(4, std::isfinite(m.non_embedding_params) ? int64_t(std::llround(m.non_embedding_params))
                                                     : int64_t{0})
      .bind(5, std::max<int64_t>(m.step, 0))
      .bind(6, int64_t(std::llround(m.tokens)))
      .bind(7, m.flops)
      .bind(8, m.family);
  insert.run();
  return sqlite3_last_insert_rowid(db.handle());
}

int64_t upsert_checkpoint(store::Database& db, int64_t run_id, const ImportedCheckpoint& c) {
  const ModelFacts& m = c.model;
  const int64_t step = std::max<int64_t>(m.step, 0);
  Statement insert(db,
                   "INSERT INTO checkpoints (run_id, step, tokens, flops, validation_loss) "
                   "VALUES (?, ?, ?, ?, ?) ON CONFLICT (run_id, step) DO UPDATE SET "
                   "validation_loss = COALESCE(excluded.validation_loss, validation_loss)");
  insert.bind(1, run_id)
      .bind(2, step)
      .bind(3, int64_t(std::llround(m.checkpoint_tokens)))
      .bind(4, 6.0 * m.params * m.checkpoint_tokens)
      .bind(5, c.validation_loss);
  insert.run();
  Statement find(db, "SELECT id FROM checkpoints WHERE run_id = ? AND step = ?");
  find.bind(1, run_id).bind(2, step);
  require(find.step(), "database {}: checkpoint just written is missing", db.path().string());
  return find.integer(0);
}

}  // namespace

ImportSummary store_import(store::Database& db, const ImportedFile& file, const std::string& sha256,
                           const std::string& family) {
  ImportSummary summary;
  store::Database::Transaction tx(db);
  {
    Statement seen(db, "SELECT path FROM import_sources WHERE sha256 = ?");
    seen.bind(1, sha256);
    if (seen.step()) {
      summary.already_imported = true;
      summary.previous_path = seen.text(0);
      return summary;  // the transaction rolls back: nothing changes
    }
  }
  std::set<std::string> models;
  int scores = 0;
  for (const auto& c : file.checkpoints) {
    models.insert(c.model.name);
    scores += int(c.scores.size());
  }
  Statement source(db,
                   "INSERT INTO import_sources (sha256, format, path, family, models, scores, "
                   "imported) VALUES (?, ?, ?, ?, ?, ?, ?)");
  source.bind(1, sha256)
      .bind(2, file.format)
      .bind(3, file.path)
      .bind(4, family)
      .bind(5, int64_t(models.size()))
      .bind(6, int64_t(scores))
      .bind(7, unix_now());
  source.run();
  const int64_t source_id = sqlite3_last_insert_rowid(db.handle());

  Statement metric(db,
                   "INSERT OR REPLACE INTO metrics (checkpoint_id, task, metric, value, lower, "
                   "upper, stderr, n, chance, continuous, source_id) VALUES "
                   "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  Statement example(db,
                    "INSERT OR REPLACE INTO example_records (checkpoint_id, task, example, "
                    "record_json) VALUES (?, ?, ?, ?)");
  for (const ImportedCheckpoint& c : file.checkpoints) {
    const int64_t run_id = upsert_run(db, c.model, file.format);
    const int64_t checkpoint_id = upsert_checkpoint(db, run_id, c);
    ++summary.checkpoints;
    for (const Score& s : c.scores) {
      // A normal-approximation 95% interval where the file gives a standard error.
      const bool se = std::isfinite(s.standard_error);
      metric.reset();
      metric.bind(1, checkpoint_id)
          .bind(2, s.task)
          .bind(3, s.metric)
          .bind(4, s.value)
          .bind(5, se ? s.value - 1.96 * s.standard_error : NAN)
          .bind(6, se ? s.value + 1.96 * s.standard_error : NAN)
          .bind(7, s.standard_error)
          .bind(8, s.n)
          .bind(9, s.chance)
          .bind(10, int64_t(s.continuous))
          .bind(11, source_id);
      metric.run();
      ++summary.scores;
    }
    for (const store::ExampleRow& e : c.examples) {
      example.reset();
      example.bind(1, checkpoint_id).bind(2, e.task).bind(3, e.example).bind(4, e.record_json);
      example.run();
      ++summary.examples;
    }
  }
  summary.models = int(models.size());
  tx.commit();
  return summary;
}

}  // namespace emlab::imports
