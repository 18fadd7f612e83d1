// The test executables' main: same BLAS kernel selection as the emlab CLI, then GoogleTest.
#include <gtest/gtest.h>

#include "nn/blas.hpp"

int main(int argc, char** argv) {
  emlab::nn::select_blas_kernels(argv);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
