// The CSV tables of `emlab import`: the long format (with its aliases), the wide format (the
// first row's first two columns taken as model and parameters) and the --meta sidecar.
#include <filesystem>

#include "fuzz_input.hpp"
#include "imports/model_metadata.hpp"
#include "imports/table_imports.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = emlab::fuzz::as_file(data, size, ".csv");
  using namespace emlab::imports;
  int r = emlab::fuzz::expect_clear_errors([&] { read_long_table(path.string()); });
  r |= emlab::fuzz::expect_clear_errors([&] {
    WideOptions options;
    options.params = {"params", 1e9};
    read_wide_table(path.string(), options);
  });
  r |= emlab::fuzz::expect_clear_errors([&] { ModelMetadata::read_csv(path.string()); });
  std::filesystem::remove(path);
  return r;
}
