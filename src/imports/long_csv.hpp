#pragma once
// The long-format measurement CSV (docs/csv-format.md) that `emlab fit --csv`, `emlab forecast
// --csv` and `emlab import csv` read: one measurement per row, into analysis's typed rows.
#include <iosfwd>
#include <string>

#include "analysis/measurement_table.hpp"

namespace emlab::imports {

// Throws emlab::Error naming file, line and column for any malformed input.
analysis::MeasurementTable read_measurements_csv(const std::string& path);
// Imports (emlab import csv) may leave sizes to metadata: with sizes_may_be_blank the params and
// tokens columns may be absent or blank, and tokens may be 0 (a checkpoint before training).
struct CsvRules {
  bool sizes_may_be_blank = false;
};
analysis::MeasurementTable parse_measurements_csv(std::istream& in, const std::string& source,
                                                  const CsvRules& rules = {});
void write_measurements_csv(const analysis::MeasurementTable& table, std::ostream& out);

}  // namespace emlab::imports
