#pragma once
// A study database as files other tools read (format: docs/export.md).
// CSV: the long measurement format of docs/csv-format.md, so `emlab fit --csv` and any
// spreadsheet read it: per checkpoint one loss row and one row per task and metric.
// JSON: every run with its plan, provenance, timings, checkpoints, metrics and intervals.
#include <iosfwd>

#include "store/database.hpp"

namespace emlab::store {

struct ExportOptions {
  bool final_only = false;     // only the last checkpoint of each completed run
  bool include_failed = true;  // checkpoints of failed runs (stored before they failed)
};

void export_csv(Database& db, std::ostream& out, const ExportOptions& options = {});
void export_json(Database& db, std::ostream& out, const ExportOptions& options = {});
// What probes measured inside each checkpoint, one row per probe, layer and head (-1: the whole
// model).
void export_probes_csv(Database& db, std::ostream& out, const ExportOptions& options = {});
// The studies' verdicts, one row per study and measurement (study names and verdicts contain no
// commas; measurement names are identifiers).
void export_verdicts_csv(Database& db, std::ostream& out);

}  // namespace emlab::store
