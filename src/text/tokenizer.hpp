#pragma once
// Text to token ids and back. Two kinds: bytes (no training, every UTF-8 string round-trips) and a
// trained SentencePiece model (byte fallback on, so it round-trips too). Documents are separated
// in the token stream by the tokenizer's end-of-document token.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace emlab::text {

class Tokenizer {
 public:
  virtual ~Tokenizer() = default;
  virtual int vocab_size() const = 0;
  virtual int32_t end_of_document() const = 0;
  // Appends the ids of `text` to `ids`.
  virtual void encode(std::string_view text, std::vector<int32_t>& ids) const = 0;
  virtual std::string decode(const std::vector<int32_t>& ids) const = 0;
  // SHA-256 (hex) of what determines the ids: a token cache records it and is rebuilt, or
  // refused, when it differs.
  virtual const std::string& identity() const = 0;
  virtual std::string describe() const = 0;
};

// "byte" or the path of a SentencePiece model file. Throws emlab::Error naming data.tokenizer.
std::unique_ptr<Tokenizer> make_tokenizer(const std::string& spec);

}  // namespace emlab::text
