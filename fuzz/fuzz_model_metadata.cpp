// The --meta sidecar of `emlab import`: a CSV of model facts.
#include <filesystem>

#include "fuzz_input.hpp"
#include "imports/model_metadata.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = emlab::fuzz::as_file(data, size, ".csv");
  const int r = emlab::fuzz::expect_clear_errors(
      [&] { emlab::imports::ModelMetadata::read_csv(path.string()); });
  std::filesystem::remove(path);
  return r;
}
