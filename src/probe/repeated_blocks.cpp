#include "probe/repeated_blocks.hpp"

#include <numeric>

#include "core/error.hpp"
#include "core/rng.hpp"

namespace emlab::probe {

RepeatedBlocks make_repeated_blocks(int rows, int block, int repeats, int first_token,
                                    int last_token, uint64_t seed) {
  require(rows >= 1, "probe rows: must be at least 1 (got {})", rows);
  require(block >= 2, "probe block: must be at least 2 tokens (got {})", block);
  require(repeats >= 2, "probe repeats: must be at least 2 (got {})", repeats);
  const int range = last_token - first_token + 1;
  require(first_token >= 0 && range >= block,
          "probe block: {} distinct tokens do not fit in token ids {}..{}", block, first_token,
          last_token);
  RepeatedBlocks b;
  b.rows = rows;
  b.block = block;
  b.repeats = repeats;
  b.seed = seed;
  const int T = b.length();
  b.tokens.resize(static_cast<size_t>(rows) * T);
  b.targets.resize(b.tokens.size());
  Rng rng(seed);
  std::vector<int32_t> pool(static_cast<size_t>(range));
  for (int r = 0; r < rows; ++r) {
    std::iota(pool.begin(), pool.end(), first_token);
    // The first `block` entries of a partial Fisher-Yates shuffle: distinct, uniformly drawn.
    for (int i = 0; i < block; ++i)
      std::swap(pool[static_cast<size_t>(i)],
                pool[static_cast<size_t>(i + static_cast<int>(rng.below(range - i)))]);
    int32_t* row = b.tokens.data() + static_cast<size_t>(r) * T;
    for (int t = 0; t < T; ++t) row[t] = pool[static_cast<size_t>(t % block)];
    int32_t* target = b.targets.data() + static_cast<size_t>(r) * T;
    for (int t = 0; t + 1 < T; ++t) target[t] = row[t + 1];
    target[T - 1] = -1;
  }
  return b;
}

}  // namespace emlab::probe
