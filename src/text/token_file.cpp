#include "text/token_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>

#include "core/error.hpp"

namespace emlab::text {

namespace fs = std::filesystem;

TokenFileHeader parse_token_file_header(std::string_view bytes, uint64_t file_size,
                                        const std::string& name) {
  TokenFileHeader h{};
  require(bytes.size() >= sizeof h && file_size >= sizeof h,
          "{}: too short for a token file header ({} bytes, expected at least {})", name, file_size,
          sizeof h);
  std::memcpy(&h, bytes.data(), sizeof h);
  require(std::memcmp(h.magic, kTokenFileMagic, sizeof h.magic) == 0,
          "{}: not an emlab token file (no EMLABTOK magic)", name);
  require(h.version == kTokenFileVersion, "{}: token file version {}, expected {}", name, h.version,
          kTokenFileVersion);
  require(h.vocab_size >= 1 && h.end_of_document < h.vocab_size,
          "{}: vocabulary of {} tokens with end-of-document token {}", name, h.vocab_size,
          h.end_of_document);
  const uint32_t width = h.vocab_size <= 65536 ? 2 : 4;
  require(h.token_bytes == width, "{}: {}-byte tokens for a vocabulary of {} (expected {})", name,
          h.token_bytes, h.vocab_size, width);
  require(h.validation_documents <= h.documents, "{}: {} validation documents of {} in all", name,
          h.validation_documents, h.documents);
  const uint64_t room = (file_size - sizeof h) / width;
  require(h.train_tokens <= room && h.validation_tokens <= room - h.train_tokens &&
              sizeof h + (h.train_tokens + h.validation_tokens) * width == file_size,
          "{}: {} bytes, but the header promises {} + {} tokens of {} bytes (truncated or "
          "damaged)",
          name, file_size, h.train_tokens, h.validation_tokens, width);
  // Every document ends with an end-of-document token, so there are at least as many tokens.
  require(h.documents - h.validation_documents <= h.train_tokens &&
              h.validation_documents <= h.validation_tokens,
          "{}: more documents than tokens", name);
  for (const std::string_view hash :
       {std::string_view(h.tokenizer_sha256, 64), std::string_view(h.corpus_sha256, 64)})
    require(hash.find_first_not_of("0123456789abcdef") == std::string_view::npos,
            "{}: the header's hashes are not hex digits", name);
  return h;
}

void write_token_file(const fs::path& path, const TokenFileContents& c) {
  TokenFileHeader h{};
  std::memcpy(h.magic, kTokenFileMagic, sizeof h.magic);
  h.version = kTokenFileVersion;
  h.vocab_size = c.vocab_size;
  h.token_bytes = c.vocab_size <= 65536 ? 2 : 4;
  h.end_of_document = static_cast<uint32_t>(c.end_of_document);
  h.documents = c.documents;
  h.validation_documents = c.validation_documents;
  h.train_tokens = c.train.size();
  h.validation_tokens = c.validation.size();
  require(c.tokenizer_sha256.size() == 64 && c.corpus_sha256.size() == 64,
          "token file: hashes must be 64 hex digits");
  std::memcpy(h.tokenizer_sha256, c.tokenizer_sha256.data(), 64);
  std::memcpy(h.corpus_sha256, c.corpus_sha256.data(), 64);

  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  // Unique per process: two runs building the same cache at once each write their own, and the
  // second rename replaces an identical file.
  const fs::path temporary = path.string() + fmt::format(".partial-{}", ::getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    require(static_cast<bool>(out), "{}: cannot write the token file", temporary.string());
    out.write(reinterpret_cast<const char*>(&h), sizeof h);
    std::vector<unsigned char> buffer;
    for (const auto* part : {&c.train, &c.validation}) {
      buffer.resize(part->size() * h.token_bytes);
      for (size_t i = 0; i < part->size(); ++i) {
        const auto id = static_cast<uint32_t>((*part)[i]);
        require(id < c.vocab_size, "token file: id {} outside the vocabulary of {}", id,
                c.vocab_size);
        for (uint32_t b = 0; b < h.token_bytes; ++b)
          buffer[i * h.token_bytes + b] = static_cast<unsigned char>(id >> (8 * b));
      }
      out.write(reinterpret_cast<const char*>(buffer.data()),
                static_cast<std::streamsize>(buffer.size()));
    }
    require(static_cast<bool>(out.flush()), "{}: write error (disk full?)", temporary.string());
  }
  fs::rename(temporary, path);
}

TokenFile::TokenFile(const fs::path& path) : path_(path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  require(fd >= 0, "{}: cannot open the token file", path.string());
  struct stat info {};
  const bool stat_ok = ::fstat(fd, &info) == 0;
  map_size_ = stat_ok ? static_cast<size_t>(info.st_size) : 0;
  if (map_size_ > 0) {
    void* map = ::mmap(nullptr, map_size_, PROT_READ, MAP_PRIVATE, fd, 0);
    map_ = map == MAP_FAILED ? nullptr : static_cast<const unsigned char*>(map);
  }
  ::close(fd);
  require(map_ != nullptr || map_size_ == 0, "{}: cannot map the token file", path.string());
  try {
    header_ = parse_token_file_header({reinterpret_cast<const char*>(map_), map_ ? map_size_ : 0},
                                      map_size_, path.string());
    tokens_ = map_ + sizeof(TokenFileHeader);
    const uint64_t total = header_.train_tokens + header_.validation_tokens;
    for (uint64_t i = 0; i < total; ++i)  // (not require(): its arguments cost per token)
      if (token_at(i) >= header_.vocab_size)
        fail("{}: token {} is {}, outside the vocabulary of {}", path.string(), i, token_at(i),
             header_.vocab_size);
  } catch (...) {
    if (map_) ::munmap(const_cast<unsigned char*>(map_), map_size_);
    throw;
  }
}

TokenFile::~TokenFile() {
  if (map_) ::munmap(const_cast<unsigned char*>(map_), map_size_);
}

uint64_t TokenFile::size(Part part) const {
  return part == Part::train ? header_.train_tokens : header_.validation_tokens;
}

uint32_t TokenFile::token_at(uint64_t index) const {
  if (header_.token_bytes == 2) {
    const unsigned char* p = tokens_ + 2 * index;
    return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8;
  }
  const unsigned char* p = tokens_ + 4 * index;
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
         static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}

void TokenFile::copy(Part part, uint64_t offset, size_t count, int32_t* out) const {
  if (offset + count > size(part))  // (not require(): called for every row)
    fail("{}: tokens {}..{} lie outside the {} part of {}", path_.string(), offset, offset + count,
         part == Part::train ? "training" : "validation", size(part));
  const uint64_t first = (part == Part::train ? 0 : header_.train_tokens) + offset;
  for (size_t i = 0; i < count; ++i) out[i] = static_cast<int32_t>(token_at(first + i));
}

}  // namespace emlab::text
