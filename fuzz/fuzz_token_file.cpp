// Token files as a run with data.corpus maps them from the cache: the header (magic, version,
// width, counts against the file's size), every id against the vocabulary, then reads.
#include <filesystem>
#include <vector>

#include "fuzz_input.hpp"
#include "text/token_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = emlab::fuzz::as_file(data, size, ".tokens");
  const int r = emlab::fuzz::expect_clear_errors([&] {
    const emlab::text::TokenFile file(path);
    for (const auto part : {emlab::text::Part::train, emlab::text::Part::validation}) {
      std::vector<int32_t> tokens(std::min<uint64_t>(file.size(part), 64));
      file.copy(part, file.size(part) - tokens.size(), tokens.size(), tokens.data());
    }
  });
  std::filesystem::remove(path);
  return r;
}
