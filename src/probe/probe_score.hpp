#pragma once
// One number a probe measured on one checkpoint: for a head (layer, head), a layer (head = -1)
// or the whole model (both -1), with the seed of the batch it was measured on.
#include <cstdint>
#include <string>

namespace emlab::probe {

struct ProbeScore {
  std::string probe;  // e.g. "induction", "icl_score"
  int layer = -1;
  int head = -1;
  double value = 0.0;
  uint64_t seed = 0;
  bool operator==(const ProbeScore&) const = default;
};

}  // namespace emlab::probe
