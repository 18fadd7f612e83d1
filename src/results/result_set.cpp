#include "results/result_set.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace emlab::results {

const Architecture& RunResults::shape() const {
  require(architecture.has_value(), "run '{}': {}", row.plan.name, architecture_error);
  return *architecture;
}

ResultSet load_results(store::Database& db) {
  store::RunStore store(db);
  auto sources = store.import_source_paths();
  ResultSet results;
  results.database = db.path().string();
  results.name = store.meta("sweep_name").value_or(db.path().stem().string());
  for (store::RunRow& row : store.runs()) {
    RunResults run;
    for (const store::CheckpointRow& c : store.checkpoints(row.id))
      run.checkpoints.push_back(
          {c, store.metrics(row.id, c.step), store.probe_scores(row.id, c.step)});
    run.step_losses = store.step_losses(row.id);
    if (row.imported) {
      run.architecture_error = "an imported evaluation has no architecture";
    } else {
      try {
        run.architecture = read_architecture(row.plan.config_json);
      } catch (const Error& e) {
        run.architecture_error = fmt::format("in {}: {}", results.database, e.what());
      }
    }
    if (const auto it = sources.find(row.id); it != sources.end()) run.sources = it->second;
    run.row = std::move(row);
    results.runs.push_back(std::move(run));
  }
  results.answer_tokens = store.mean_answer_tokens();
  results.verdicts = store::VerdictStore(db).verdicts();
  return results;
}

bool every_run_imported(const ResultSet& results) {
  return !results.runs.empty() && std::all_of(results.runs.begin(), results.runs.end(),
                                              [](const RunResults& r) { return r.row.imported; });
}

ResultSet select_arm(const ResultSet& results, const std::string& prefix) {
  if (prefix.empty()) return results;
  ResultSet arm = results;
  arm.runs.clear();
  for (const RunResults& run : results.runs)
    if (run.row.plan.name.rfind(prefix + "-", 0) == 0) arm.runs.push_back(run);
  return arm;
}

}  // namespace emlab::results
