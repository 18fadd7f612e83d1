#include "analysis/measurement_input.hpp"

#include "analysis/gadre_import.hpp"
#include "core/error.hpp"

namespace emlab::analysis {

MeasurementTable load_measurements(const MeasurementInput& input) {
  const int sources = !input.csv.empty() + !input.gadre_scaling.empty() + !input.database.empty();
  require(sources == 1, "give exactly one input: a results database, --csv FILE or --gadre FILE");
  if (!input.database.empty())
    fail(
        "{}: reading a study's results database needs the store module, which is not built yet; "
        "export its measurements with the documented columns and pass --csv FILE",
        input.database);
  if (!input.csv.empty()) return read_measurements_csv(input.csv);
  auto table = import_gadre_scaling_csv(input.gadre_scaling, input.gadre_loss_column);
  if (!input.gadre_downstream.empty()) import_gadre_downstream_csv(input.gadre_downstream, table);
  return table;
}

}  // namespace emlab::analysis
