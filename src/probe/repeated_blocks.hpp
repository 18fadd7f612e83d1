#pragma once
// The probe batch behind the induction, duplicate-token and repeated-half measures: each row is
// a block of distinct tokens drawn at random without replacement, repeated R times. Every
// position after the first copy has exactly one earlier occurrence per earlier copy, so what an
// induction head should attend to (the token after each earlier occurrence) is well defined.
#include <cstdint>
#include <vector>

namespace emlab::probe {

struct RepeatedBlocks {
  int rows = 0;
  int block = 0;    // L: distinct tokens per copy
  int repeats = 0;  // R ≥ 2
  uint64_t seed = 0;
  std::vector<int32_t> tokens;   // (rows, L·R)
  std::vector<int32_t> targets;  // the next token; -1 at the last position
  int length() const { return block * repeats; }
};

// Tokens are drawn from first_token..last_token (inclusive). Throws emlab::Error when the block
// needs more distinct tokens than that range holds, or for block < 2, repeats < 2, rows < 1.
RepeatedBlocks make_repeated_blocks(int rows, int block, int repeats, int first_token,
                                    int last_token, uint64_t seed);

}  // namespace emlab::probe
