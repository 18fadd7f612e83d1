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

// A size a table left blank is stored as 0 with its *_known flag 0 (the columns are NOT NULL).
int64_t stored_count(double v) {
  return std::isfinite(v) ? int64_t(std::llround(v)) : int64_t{0};
}

// The run of a model: inserted when new, else checked to be an imported run of the same size
// (and given the tokens and FLOPs this file knows where the stored run left them blank).
int64_t upsert_run(store::Database& db, const ModelFacts& m, const std::string& format) {
  const bool tokens_known = std::isfinite(m.tokens), flops_known = std::isfinite(m.flops);
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
                    "END, tokens_planned = CASE WHEN tokens_known THEN tokens_planned ELSE ?4 END, "
                    "tokens_known = MAX(tokens_known, ?5), flops_planned = CASE WHEN flops_known "
                    "THEN flops_planned ELSE ?6 END, flops_known = MAX(flops_known, ?7) WHERE "
                    "id = ?3");
    widen.bind(1, std::max<int64_t>(m.step, 0))
        .bind(2, m.family)
        .bind(3, id)
        .bind(4, stored_count(m.tokens))
        .bind(5, int64_t(tokens_known))
        .bind(6, flops_known ? m.flops : 0.0)
        .bind(7, int64_t(flops_known))
        .run();
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
      "flops_planned, family, progress_step, tokens_known, flops_known) VALUES (?1, ?2, 0, "
      "'imported', '{}', ?3, ?4, 'completed', ?5, ?6, ?7, ?8, ?5, ?9, ?10)");
  insert.bind(1, m.name)
      .bind(2, config.dump())
      .bind(3, int64_t(std::llround(m.params)))
      .bind(4, stored_count(m.non_embedding_params))
      .bind(5, std::max<int64_t>(m.step, 0))
      .bind(6, stored_count(m.tokens))
      .bind(7, flops_known ? m.flops : 0.0)
      .bind(8, m.family)
      .bind(9, int64_t(tokens_known))
      .bind(10, int64_t(flops_known));
  insert.run();
  return sqlite3_last_insert_rowid(db.handle());
}

int64_t upsert_checkpoint(store::Database& db, int64_t run_id, const ImportedCheckpoint& c) {
  const ModelFacts& m = c.model;
  const int64_t step = std::max<int64_t>(m.step, 0);
  // The final model's compute is the run's, as its source gives it (a paper's count, not always
  // 6·N·D); an earlier checkpoint's is 6·N·D of the tokens it has seen. 0: unknown (a run whose
  // tokens_known is 0 reads a 0 here as unknown).
  const bool final = !std::isfinite(m.checkpoint_tokens) || m.checkpoint_tokens == m.tokens;
  const double flops = final && std::isfinite(m.flops)      ? m.flops
                       : std::isfinite(m.checkpoint_tokens) ? 6.0 * m.params * m.checkpoint_tokens
                                                            : 0.0;
  Statement insert(db,
                   "INSERT INTO checkpoints (run_id, step, tokens, flops, validation_loss) "
                   "VALUES (?, ?, ?, ?, ?) ON CONFLICT (run_id, step) DO UPDATE SET "
                   "validation_loss = COALESCE(excluded.validation_loss, validation_loss), "
                   "tokens = CASE WHEN tokens = 0 THEN excluded.tokens ELSE tokens END, "
                   "flops = CASE WHEN flops = 0 THEN excluded.flops ELSE flops END");
  insert.bind(1, run_id)
      .bind(2, step)
      .bind(3, stored_count(m.checkpoint_tokens))
      .bind(4, flops)
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
  summary.skipped = int(file.skipped_models.size());
  if (file.checkpoints.empty()) return summary;  // every model left out: nothing to record
  std::set<std::string> models, with_holes;
  int scores = 0;
  for (const auto& c : file.checkpoints) {
    models.insert(c.model.name);
    if (!std::isfinite(c.model.tokens) || !std::isfinite(c.model.flops))
      with_holes.insert(c.model.name);
    scores += int(c.scores.size());
  }
  const int64_t incomplete = summary.skipped + int64_t(with_holes.size());
  store::Database::Transaction tx(db);
  int64_t source_id = -1;
  {
    Statement seen(db, "SELECT id, path, incomplete FROM import_sources WHERE sha256 = ?");
    seen.bind(1, sha256);
    if (seen.step()) {
      if (incomplete >= seen.integer(2)) {
        summary.already_imported = true;
        summary.previous_path = seen.text(1);
        return summary;  // the transaction rolls back: nothing changes
      }
      // --meta knows more than last time: the models left out are added, the holes filled.
      source_id = seen.integer(0);
    }
  }
  if (source_id < 0) {
    Statement source(db,
                     "INSERT INTO import_sources (sha256, format, path, family, models, scores, "
                     "imported, incomplete) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    source.bind(1, sha256)
        .bind(2, file.format)
        .bind(3, file.path)
        .bind(4, family)
        .bind(5, int64_t(models.size()))
        .bind(6, int64_t(scores))
        .bind(7, unix_now())
        .bind(8, incomplete);
    source.run();
    source_id = sqlite3_last_insert_rowid(db.handle());
  } else {
    Statement source(db,
                     "UPDATE import_sources SET path = ?, models = ?, scores = ?, imported = ?, "
                     "incomplete = ? WHERE id = ?");
    source.bind(1, file.path)
        .bind(2, int64_t(models.size()))
        .bind(3, int64_t(scores))
        .bind(4, unix_now())
        .bind(5, incomplete)
        .bind(6, source_id);
    source.run();
  }

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
