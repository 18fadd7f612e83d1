// `emlab bench gemm` as a user runs it: every product of a step in a table, the step's total, and
// a clear error for a shape it does not know.
#include <gtest/gtest.h>

#include "cli_runner.hpp"

namespace emlab::testing {
namespace {

TEST(BenchCli, GemmPrintsEveryProductOfAStepAndItsTotal) {
  const auto r = run_emlab("bench gemm --shapes tiny --seconds 0");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* line : {"tiny (batch 32, context 64, width 64, vocabulary 32)",
                           "attn.qkv forward", "mlp.proj weight grad", "output (tied) input grad",
                           "all of a step's products on one thread",
                           "attention: heads of 16 channels over 64 positions run on vectors"})
    EXPECT_NE(r.output.find(line), std::string::npos) << line << "\n" << r.output;
}

TEST(BenchCli, UnknownShapeIsRefusedWithTheKnownOnes) {
  const auto r = run_emlab("bench gemm --shapes huge");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("--shapes: unknown shape 'huge' (known: tiny, small, medium"),
            std::string::npos)
      << r.output;
}

}  // namespace
}  // namespace emlab::testing
