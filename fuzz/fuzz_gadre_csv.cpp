// The Gadre et al. 2024 scaling CSV (wide, one row per model) as `emlab fit --gadre` reads it.
#include <filesystem>

#include "analysis/gadre_import.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = emlab::fuzz::as_file(data, size, ".csv");
  const int r = emlab::fuzz::expect_clear_errors(
      [&] { emlab::analysis::import_gadre_scaling_csv(path.string()); });
  std::filesystem::remove(path);
  return r;
}
