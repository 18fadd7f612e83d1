// The wide CSV (one row per model) as `emlab import wide` reads it, with a parameters column in
// billions as a leaderboard would give it, score columns named by a pattern, and models without
// parameters left out.
#include "fuzz_import.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  emlab::imports::ImportOptions options{.format = "wide"};
  options.wide.params = {"params", 1e9};
  options.wide.columns = "{task}_{shots}shot_{metric}";
  options.skip_incomplete = true;
  return emlab::fuzz::import_file(data, size, options);
}
