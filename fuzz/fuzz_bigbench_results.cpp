// BIG-bench results JSON as `emlab import bigbench` reads it.
#include <filesystem>

#include "fuzz_input.hpp"
#include "imports/bigbench_results.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = emlab::fuzz::as_file(data, size, ".json");
  const int r = emlab::fuzz::expect_clear_errors(
      [&] { emlab::imports::read_bigbench_results(path.string()); });
  std::filesystem::remove(path);
  return r;
}
