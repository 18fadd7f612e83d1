// lm-evaluation-harness results JSON (0.4 and pre-0.4) as `emlab import lm-eval` reads it.
#include "fuzz_import.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return emlab::fuzz::import_file(data, size, {.format = "lm-eval"});
}
