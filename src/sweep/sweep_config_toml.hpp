#pragma once
// Sweep configs in TOML: [sweep] [models] [optim] [data] [train] [checkpoints] [eval], and
// [scales] (named override lists); see
// docs/sweep.md. Unknown tables and keys, wrong types and invalid values are errors naming the
// file, line and key.
#include <string>
#include <vector>

#include "sweep/sweep_config.hpp"

namespace emlab::sweep {

// `scale` picks a [scales] entry: a list of overrides applied before `overrides` ("" or "small"
// without an entry: the file as written).
SweepConfig load_sweep_config(const std::string& path, const std::vector<std::string>& overrides,
                              const std::string& scale = "");
SweepConfig parse_sweep_config(const std::string& text, const std::string& source_name,
                               const std::vector<std::string>& overrides = {},
                               const std::string& scale = "");

}  // namespace emlab::sweep
