// The wide CSV (one row per model) as `emlab import wide` reads it, with a parameters column in
// billions as a leaderboard would give it.
#include "fuzz_import.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  emlab::imports::ImportOptions options{.format = "wide"};
  options.wide.params = {"params", 1e9};
  return emlab::fuzz::import_file(data, size, options);
}
