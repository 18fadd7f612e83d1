// The Gadre et al. 2024 scaling CSV (wide, one row per model) as `emlab fit --gadre` reads it.
#include <filesystem>

#include "fuzz_input.hpp"
#include "imports/gadre_csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = emlab::fuzz::as_file(data, size, ".csv");
  const int r = emlab::fuzz::expect_clear_errors(
      [&] { emlab::imports::read_gadre_scaling_csv(path.string()); });
  std::filesystem::remove(path);
  return r;
}
