#pragma once
// Checks every seeded token stream must pass.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "train/token_stream.hpp"

namespace emlab::train::testing {

// `b` restored from `a`'s state after one batch gives `a`'s second batch exactly.
inline void expect_resumes_exactly(TokenStream& a, TokenStream& b) {
  std::vector<int32_t> ta(4 * 32), ga(4 * 32), tb(4 * 32), gb(4 * 32);
  a.next_batch(4, 32, ta.data(), ga.data());
  const std::string state = a.save_state();
  a.next_batch(4, 32, ta.data(), ga.data());
  b.restore_state(state);
  b.next_batch(4, 32, tb.data(), gb.data());
  EXPECT_EQ(ta, tb);
  EXPECT_EQ(ga, gb);
}

}  // namespace emlab::train::testing
