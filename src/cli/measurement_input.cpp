#include "cli/measurement_input.hpp"

#include "core/error.hpp"
#include "imports/gadre_csv.hpp"
#include "imports/long_csv.hpp"
#include "results/loss_points.hpp"
#include "results/result_set.hpp"
#include "store/database.hpp"

namespace emlab::cli {

analysis::MeasurementTable load_measurements(const MeasurementInput& input) {
  const int sources = !input.csv.empty() + !input.gadre_scaling.empty() + !input.database.empty();
  require(sources == 1, "give exactly one input: a results database, --csv FILE or --gadre FILE");
  if (!input.database.empty()) {
    // The final checkpoint of every completed run, as typed rows (a checkpoint in the middle of a
    // cosine schedule is not a point of the scaling law).
    store::Database db(input.database, store::Database::Mode::kReadOnly);
    return results::final_measurements(results::load_results(db));
  }
  if (!input.csv.empty()) return imports::read_measurements_csv(input.csv);
  auto table = imports::read_gadre_scaling_csv(input.gadre_scaling, input.gadre_loss_column);
  if (!input.gadre_downstream.empty())
    imports::add_gadre_downstream_csv(input.gadre_downstream, table);
  return table;
}

}  // namespace emlab::cli
