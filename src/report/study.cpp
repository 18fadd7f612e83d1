#include "report/study.hpp"

namespace emlab::report {

Study load_study(store::Database& db) {
  store::RunStore store(db);
  Study study;
  study.database = db.path().string();
  study.name = store.meta("sweep_name").value_or(db.path().stem().string());
  for (store::RunRow& row : store.runs()) {
    StudyRun run;
    for (const store::CheckpointRow& c : store.checkpoints(row.id))
      run.checkpoints.push_back({c, store.metrics(row.id, c.step)});
    run.step_losses = store.step_losses(row.id);
    run.row = std::move(row);
    study.runs.push_back(std::move(run));
  }
  study.answer_tokens = store.mean_answer_tokens();
  return study;
}

}  // namespace emlab::report
