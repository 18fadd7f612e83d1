#pragma once
// A corpus tokenized once, memory-mapped by every later run. Layout (little-endian):
//   header (192 bytes, TokenFileHeader), then the training tokens, then the validation tokens,
//   each token a uint16 (vocabulary <= 65536) or a uint32; every document ends with the
//   tokenizer's end-of-document token.
// Written to a temporary file and renamed into place, so a reader sees a complete file or none;
// a file damaged some other way (truncated, wrong sizes, ids outside the vocabulary) is refused on
// opening, and the cache (token_cache.hpp) rebuilds it.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace emlab::text {

inline constexpr char kTokenFileMagic[8] = {'E', 'M', 'L', 'A', 'B', 'T', 'O', 'K'};
inline constexpr uint32_t kTokenFileVersion = 1;

struct TokenFileHeader {
  char magic[8];
  uint32_t version;
  uint32_t token_bytes;  // 2 or 4
  uint32_t vocab_size;
  uint32_t end_of_document;
  uint64_t documents;  // training + validation
  uint64_t validation_documents;
  uint64_t train_tokens;
  uint64_t validation_tokens;
  char tokenizer_sha256[64];  // hex, Tokenizer::identity()
  char corpus_sha256[64];     // hex, corpus_identity()
  uint64_t reserved;
};
static_assert(sizeof(TokenFileHeader) == 192, "the header's size is part of the format");

// The header of a file of `file_size` bytes whose first bytes are `bytes`, checked: magic,
// version, token width against the vocabulary, and the sizes adding up to the file's. Throws
// emlab::Error naming `name` and what is wrong.
TokenFileHeader parse_token_file_header(std::string_view bytes, uint64_t file_size,
                                        const std::string& name);

enum class Part { train, validation };

struct TokenFileContents {
  uint32_t vocab_size = 0;
  int32_t end_of_document = 0;
  std::string tokenizer_sha256, corpus_sha256;
  uint64_t documents = 0, validation_documents = 0;
  std::vector<int32_t> train, validation;
};

// Writes `contents` to `path` through a temporary file in the same folder and a rename.
void write_token_file(const std::filesystem::path& path, const TokenFileContents& contents);

class TokenFile {
 public:
  // Maps the file and checks it whole (header, sizes, every id below the vocabulary size).
  // Throws emlab::Error naming the file and what is wrong.
  explicit TokenFile(const std::filesystem::path& path);
  ~TokenFile();
  TokenFile(const TokenFile&) = delete;
  TokenFile& operator=(const TokenFile&) = delete;

  const TokenFileHeader& header() const { return header_; }
  const std::filesystem::path& path() const { return path_; }
  std::string tokenizer_sha256() const { return {header_.tokenizer_sha256, 64}; }
  std::string corpus_sha256() const { return {header_.corpus_sha256, 64}; }
  uint64_t size(Part part) const;
  // Copies tokens [offset, offset + count) of `part` into `out`; the range must lie inside it.
  void copy(Part part, uint64_t offset, size_t count, int32_t* out) const;

 private:
  uint32_t token_at(uint64_t index) const;  // index over the whole token area

  std::filesystem::path path_;
  TokenFileHeader header_{};
  const unsigned char* map_ = nullptr;
  size_t map_size_ = 0;
  const unsigned char* tokens_ = nullptr;
};

}  // namespace emlab::text
