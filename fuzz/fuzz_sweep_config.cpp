// Sweep configs (TOML) as `emlab sweep` reads them, then planned into runs.
#include "fuzz_input.hpp"
#include "sweep/sweep_config_toml.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return emlab::fuzz::expect_clear_errors([&] {
    const auto config =
        emlab::sweep::parse_sweep_config(emlab::fuzz::as_text(data, size), "fuzz.toml");
    emlab::sweep::plan_sweep(config);
  });
}
