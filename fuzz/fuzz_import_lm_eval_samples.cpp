// lm-evaluation-harness per-sample logs (JSONL) as `emlab import lm-eval-samples` re-scores them.
#include "fuzz_import.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return emlab::fuzz::import_file(data, size,
                                  {.format = "lm-eval-samples", .model = "org/model", .task = "t"});
}
