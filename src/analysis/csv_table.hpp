#pragma once
// The long-format measurement table that every analysis reads (format: docs/csv-format.md).
// One row is one measurement of one model checkpoint: its pre-training loss (a "loss row", task
// blank) or its score on one task under one metric (a "task row").
#include <iosfwd>
#include <limits>
#include <string>
#include <vector>

namespace emlab::analysis {

inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

struct Measurement {
  std::string model;
  double params = kMissing;                // all parameters, embeddings included (Chinchilla's N)
  double non_embedding_params = kMissing;  // Kaplan's N
  double tokens = kMissing;                // training tokens seen by this checkpoint
  double flops = kMissing;                 // training compute; 6·N·D when the cell is blank
  double step = kMissing;
  double loss = kMissing;  // pre-training (validation) loss in nats per token
  std::string task;
  std::string metric;
  double value = kMissing;
  double stderr_value = kMissing;
  double n = kMissing;  // number of examples behind `value`
  int line = 0;         // 1-based line of the row in its file, for error messages

  bool is_loss_row() const { return task.empty(); }
};

struct MeasurementTable {
  std::string source;  // file name, used in error messages downstream
  std::vector<Measurement> rows;
};

// The column names, in the documented order.
const std::vector<std::string>& measurement_columns();

// Throws emlab::Error naming file, line and column for any malformed input.
MeasurementTable read_measurements_csv(const std::string& path);
// Imports (emlab import csv) may leave sizes to metadata: with sizes_may_be_blank the params and
// tokens columns may be absent or blank, and tokens may be 0 (a checkpoint before training).
struct CsvRules {
  bool sizes_may_be_blank = false;
};
MeasurementTable parse_measurements_csv(std::istream& in, const std::string& source,
                                        const CsvRules& rules = {});
void write_measurements_csv(const MeasurementTable& table, std::ostream& out);

// Splits one CSV record (RFC 4180 quoting: "a,b" and "" for a quote). Shared with importers.
std::vector<std::string> split_csv_record(const std::string& line, const std::string& source,
                                          int line_number);

}  // namespace emlab::analysis
