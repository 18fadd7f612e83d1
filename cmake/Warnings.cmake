add_library(emlab_options INTERFACE)
target_compile_options(emlab_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
  -Wno-sign-conversion)
if(EMLAB_NATIVE)
  target_compile_options(emlab_options INTERFACE -march=native)
endif()
if(CMAKE_BUILD_TYPE STREQUAL "Release")
  # -fno-math-errno and -fno-trapping-math let GCC vectorise loops with math and clamps;
  # NaN and Inf semantics are kept (no -ffast-math), so divergence detection still sees them.
  target_compile_options(emlab_options INTERFACE -O3 -fno-math-errno -fno-trapping-math)
endif()
if(EMLAB_SANITIZE)
  target_compile_options(emlab_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
    -fno-sanitize-recover=undefined)
  target_link_options(emlab_options INTERFACE -fsanitize=address,undefined)
endif()
if(EMLAB_FUZZ)
  # Every library instrumented for libFuzzer's coverage and checked by ASan and UBSan; the fuzz
  # targets link libFuzzer's main (fuzz/CMakeLists.txt).
  # (-Wno-pass-failed: at -O1 clang declines the `omp simd` loops and says so for each.)
  target_compile_options(emlab_options INTERFACE -fsanitize=fuzzer-no-link,address,undefined
    -fno-omit-frame-pointer -fno-sanitize-recover=undefined -Wno-pass-failed)
  target_link_options(emlab_options INTERFACE -fsanitize=address,undefined)
endif()
