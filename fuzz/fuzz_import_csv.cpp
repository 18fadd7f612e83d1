// The long-format CSV (with its aliases: tokens..., num_fewshot, source_path) as `emlab import
// csv` reads it.
#include "fuzz_import.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return emlab::fuzz::import_file(data, size, {.format = "csv"});
}
