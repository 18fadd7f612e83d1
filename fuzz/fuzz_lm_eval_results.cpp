// lm-evaluation-harness results JSON (0.4 and pre-0.4) as `emlab import lm-eval` reads it.
#include <filesystem>

#include "fuzz_input.hpp"
#include "imports/lm_eval_results.hpp"
#include "imports/model_metadata.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = emlab::fuzz::as_file(data, size, ".json");
  const int r = emlab::fuzz::expect_clear_errors([&] {
    auto file = emlab::imports::read_lm_eval_results(path.string());
    for (auto& c : file.checkpoints) emlab::imports::complete_model_facts(c.model, {}, "fuzz");
  });
  std::filesystem::remove(path);
  return r;
}
