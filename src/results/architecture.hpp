#pragma once
// A run's architecture as its stored training config records it (the "model" table of the JSON
// that `emlab sweep` writes with every run), read once when results load.
#include <string>

namespace emlab::results {

struct Architecture {
  int layers = 0, width = 0, heads = 0, mlp_width = 0, vocab_size = 0, context = 0;
};

// Throws emlab::Error naming the field that is missing or malformed.
Architecture read_architecture(const std::string& config_json);

}  // namespace emlab::results
