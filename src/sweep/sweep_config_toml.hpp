#pragma once
// Sweep configs in TOML: [sweep] [models] [optim] [data] [train] [checkpoints] [eval]; see
// docs/sweep.md. Unknown tables and keys, wrong types and invalid values are errors naming the
// file, line and key.
#include <string>
#include <vector>

#include "sweep/sweep_config.hpp"

namespace emlab::sweep {

SweepConfig load_sweep_config(const std::string& path, const std::vector<std::string>& overrides);
SweepConfig parse_sweep_config(const std::string& text, const std::string& source_name,
                               const std::vector<std::string>& overrides = {});

}  // namespace emlab::sweep
