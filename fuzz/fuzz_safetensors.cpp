// Checkpoints (safetensors: header length, JSON header, tensor bytes) as `emlab eval` and
// `--resume` read them.
#include <filesystem>

#include "fuzz_input.hpp"
#include "nn/safetensors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = emlab::fuzz::as_file(data, size, ".safetensors");
  const int r = emlab::fuzz::expect_clear_errors([&] {
    const emlab::nn::SafetensorsFile file(path);
    for (const auto& name : file.tensor_names()) (void)name;
  });
  std::filesystem::remove(path);
  return r;
}
