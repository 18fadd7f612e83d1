#pragma once
// `emlab train` configs in TOML: tables [model], [optim], [data], [train]; see docs/config.md.
#include <string>
#include <vector>

#include "io/toml_reader.hpp"
#include "train/train_config.hpp"

namespace emlab::io {

// Reads the file (empty path: defaults only), applies --set overrides, validates. Throws
// emlab::Error naming the file, line and key for syntax errors, unknown keys, wrong types and
// invalid values.
train::TrainConfig load_train_config(const std::string& path,
                                     const std::vector<std::string>& overrides);

// A recorded config (from a checkpoint) with --set overrides applied, validated again.
train::TrainConfig override_train_config(const train::TrainConfig& base,
                                         const std::vector<std::string>& overrides);

// The same from TOML text (for tests and built-in examples).
train::TrainConfig parse_train_config(const std::string& text, const std::string& source_name,
                                      const std::vector<std::string>& overrides = {});

// The [optim] and [data] tables, shared with sweep configs.
void read_optim_section(TomlSection& section, train::OptimConfig& optim);
void read_data_section(TomlSection& section, train::StreamConfig& data);

}  // namespace emlab::io
