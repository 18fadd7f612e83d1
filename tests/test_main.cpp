// The test executables' main: same BLAS kernel selection as the emlab CLI, a temporary folder of
// the process's own, then GoogleTest.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "nn/blas.hpp"

int main(int argc, char** argv) {
  emlab::nn::select_blas_kernels(argv);
  // Tests name their folders under the temporary directory ("emlab_cli_study_arms"); TMPDIR of
  // this process's own keeps two test processes running at once (ctest -j, two checkouts on one
  // machine) from removing each other's files. The emlab processes a test starts inherit it.
  const auto own =
      std::filesystem::temp_directory_path() / ("emlab-tests-" + std::to_string(::getpid()));
  std::filesystem::create_directories(own);
  ::setenv("TMPDIR", own.c_str(), 1);
  // Token files and converted corpora too (text/token_cache.hpp): never the user's own cache.
  ::setenv("EMLAB_CACHE_DIR", (own / "cache").c_str(), 1);
  ::testing::InitGoogleTest(&argc, argv);
  const int result = RUN_ALL_TESTS();
  if (result == 0) std::filesystem::remove_all(own);  // kept to look at when a test failed
  return result;
}
