// The long measurement CSV that `emlab fit --csv` and `emlab forecast --csv` read
// (docs/csv-format.md).
#include <sstream>

#include "analysis/scaling_data.hpp"
#include "fuzz_input.hpp"
#include "imports/long_csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return emlab::fuzz::expect_clear_errors([&] {
    std::istringstream in(emlab::fuzz::as_text(data, size));
    const auto table = emlab::imports::parse_measurements_csv(in, "fuzz.csv");
    emlab::analysis::loss_points(table);
  });
}
