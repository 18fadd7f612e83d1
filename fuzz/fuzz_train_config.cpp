// Training configs (TOML) as `emlab train --config` reads them.
#include "fuzz_input.hpp"
#include "io/train_config_toml.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return emlab::fuzz::expect_clear_errors(
      [&] { emlab::io::parse_train_config(emlab::fuzz::as_text(data, size), "fuzz.toml"); });
}
