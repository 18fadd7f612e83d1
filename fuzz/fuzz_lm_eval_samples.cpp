// lm-evaluation-harness per-sample logs (JSONL) as `emlab import lm-eval-samples` re-scores them.
#include <filesystem>

#include "fuzz_input.hpp"
#include "imports/lm_eval_samples.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = emlab::fuzz::as_file(data, size, ".jsonl");
  const int r = emlab::fuzz::expect_clear_errors([&] {
    emlab::imports::read_lm_eval_samples(path.string(), {.model = "org/model", .task = "t"});
  });
  std::filesystem::remove(path);
  return r;
}
