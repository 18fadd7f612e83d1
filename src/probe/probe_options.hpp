#pragma once
// Which probes run on a checkpoint and on what batch. The same options come from a sweep's
// [probes] table and from `emlab probe`'s flags.
#include <cstdint>
#include <string>
#include <vector>

#include "nn/config.hpp"

namespace emlab::probe {

struct ProbeOptions {
  std::vector<std::string> probes;  // names of probe_registry.hpp's table; empty: every probe
  int block = 0;                    // distinct tokens per copy; 0: as many as fit (see resolve)
  int repeats = 2;
  int rows = 32;      // sequences per probe batch
  int icl_rows = 64;  // held-out sequences for the in-context score
  uint64_t seed = 1;
  int first_token = -1, last_token = -1;  // -1: letters a-z for the task alphabet, else all ids

  bool wants(const std::string& name) const;
  // Throws emlab::Error naming an unknown probe or a bad size.
  void validate() const;
  // Fills block and the token range for this model, and checks that the probe batch fits its
  // context and vocabulary; throws emlab::Error when it does not.
  ProbeOptions resolved_for(const nn::ModelConfig& model) const;
};

}  // namespace emlab::probe
