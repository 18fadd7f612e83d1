#include "analysis/measurement_input.hpp"

#include <sstream>

#include "core/error.hpp"
#include "imports/gadre_csv.hpp"
#include "imports/long_csv.hpp"
#include "store/export.hpp"

namespace emlab::analysis {

MeasurementTable load_measurements(const MeasurementInput& input) {
  const int sources = !input.csv.empty() + !input.gadre_scaling.empty() + !input.database.empty();
  require(sources == 1, "give exactly one input: a results database, --csv FILE or --gadre FILE");
  if (!input.database.empty()) {
    // The final checkpoint of every completed run, through the same long format as `emlab export`
    // (a checkpoint in the middle of a cosine schedule is not a point of the scaling law).
    store::Database db(input.database, store::Database::Mode::kReadOnly);
    std::stringstream csv;
    store::export_csv(db, csv, {.final_only = true, .include_failed = false});
    return imports::parse_measurements_csv(csv, input.database);
  }
  if (!input.csv.empty()) return imports::read_measurements_csv(input.csv);
  auto table = imports::read_gadre_scaling_csv(input.gadre_scaling, input.gadre_loss_column);
  if (!input.gadre_downstream.empty())
    imports::add_gadre_downstream_csv(input.gadre_downstream, table);
  return table;
}

}  // namespace emlab::analysis
