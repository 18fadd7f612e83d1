// BIG-bench results JSON as `emlab import bigbench` reads it.
#include "fuzz_import.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return emlab::fuzz::import_file(data, size, {.format = "bigbench"});
}
