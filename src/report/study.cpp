#include "report/study.hpp"

#include <cmath>

namespace emlab::report {

Study load_study(store::Database& db) {
  store::RunStore store(db);
  Study study;
  study.database = db.path().string();
  study.name = store.meta("sweep_name").value_or(db.path().stem().string());
  for (store::RunRow& row : store.runs()) {
    StudyRun run;
    for (const store::CheckpointRow& c : store.checkpoints(row.id))
      run.checkpoints.push_back(
          {c, store.metrics(row.id, c.step), store.probe_scores(row.id, c.step)});
    run.step_losses = store.step_losses(row.id);
    run.row = std::move(row);
    study.runs.push_back(std::move(run));
  }
  study.answer_tokens = store.mean_answer_tokens();
  study.verdicts = store::VerdictStore(db).verdicts();
  return study;
}

std::vector<analysis::LossPoint> final_loss_points(const Study& study) {
  std::vector<analysis::LossPoint> points;
  for (const StudyRun& run : study.runs) {
    const StudyCheckpoint* last = run.last();
    if (!run.completed() || last == nullptr || !std::isfinite(last->row.validation_loss) ||
        last->row.tokens <= 0 || run.row.plan.parameters <= 0)
      continue;
    points.push_back({run.row.plan.name, double(run.row.plan.parameters), double(last->row.tokens),
                      last->row.flops, last->row.validation_loss, 0});
  }
  return points;
}

}  // namespace emlab::report
