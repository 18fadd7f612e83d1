#pragma once
// Train/validation split by a hash of each document's bytes: the same document lands on the same
// side whatever file holds it, in whatever order the files are read, and duplicates never straddle
// the split.
#include <cstdint>
#include <string_view>

namespace emlab::text {

inline constexpr uint64_t kValidationOneIn = 20;  // 1 document in 20 is held out

// FNV-1a (64-bit) of the bytes, finished with splitmix64's mixer so the low bits are well spread.
uint64_t document_hash(std::string_view bytes);

inline bool is_validation_document(std::string_view bytes) {
  return document_hash(bytes) % kValidationOneIn == 0;
}

}  // namespace emlab::text
