#pragma once
// The report's sections, each built from the study alone. A section whose data does not exist yet
// carries "missing": the reason, and the page shows that instead of an empty chart.
// Section: {"id", "title", "text", "charts": [...], "tables": [...], "missing"}.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "results/result_set.hpp"

namespace emlab::report {

// The ids of the sections every page may have (task sections add one per task), in page order:
// what a study file's `figures =` may link to.
const std::vector<std::string>& section_ids();

// The verdicts of the studies run on this database; null when there are none.
nlohmann::json hypotheses_section(const results::ResultSet& results);
nlohmann::json overview_section(const results::ResultSet& results);
// Imported models of many families: every task's scores against training FLOPs and against
// parameters, coloured by family (the largest named, the rest grey), lines within a family; a
// table of the families. Null unless every run is imported.
nlohmann::json families_section(const results::ResultSet& results);
// Observational scaling laws (Ruan et al. 2024) when every run is imported and the table has at
// least 3 of the standard benchmarks (results/standard_benchmarks.hpp): the capability space, each
// family's compute efficiency and the backtest of every other task at the median compute. Null
// otherwise.
nlohmann::json observational_section(const results::ResultSet& results);
// Loss against compute over every checkpoint; the fitted power law; the empirical frontier.
nlohmann::json scaling_section(const results::ResultSet& results);
// Final loss against parameters and tokens; Chinchilla's L(N, D) and power laws in N and D.
nlohmann::json size_section(const results::ResultSet& results);
// Per task: the same models under every metric side by side (the mirage made visible), and
// task score against validation loss over all checkpoints (do the curves collapse?).
std::vector<nlohmann::json> task_sections(const results::ResultSet& results);
// The verdict of every task × metric curve over model size: Wei test, breakthroughness,
// linearity, and every metric rescaled to its own range.
nlohmann::json emergence_section(const results::ResultSet& results);
// Training loss and task scores over steps.
nlohmann::json dynamics_section(const results::ResultSet& results);
// Probes inside the models (docs/probes.md): head-score heatmaps, induction over training with
// the phase change, in-context learning; null when no checkpoint has probe scores.
nlohmann::json circuits_section(const results::ResultSet& results);
// hop(k) exact match per depth × k and the largest k each depth solves; null without hop tasks.
nlohmann::json depth_section(const results::ResultSet& results);
// The largest model's loss predicted from the smaller ones, against what was observed.
nlohmann::json forecast_section(const results::ResultSet& results);

// Scores of real model families forecast instead, when the study has no losses (imported
// evaluations); null when it has no curve over at least 5 sizes either.
nlohmann::json ability_backtest_section(const results::ResultSet& results,
                                        const std::string& title);

// Why a section about losses is empty: `usual` for our own runs, or, when every run is an
// imported evaluation, that such data carries no losses and what would supply them.
std::string why_no_losses(const results::ResultSet& results, const std::string& usual);

// Adds to a section the note that it left models out (imported tables with holes: unknown tokens
// or FLOPs): a "Left out" paragraph of its text and an entry of its "left_out" list, which
// build_report gathers for `emlab report` to print. Nothing when the note is empty.
void add_left_out(nlohmann::json& section, const std::string& note);

// An empty section that says why.
nlohmann::json missing_section(const std::string& id, const std::string& title,
                               const std::string& why);

}  // namespace emlab::report
