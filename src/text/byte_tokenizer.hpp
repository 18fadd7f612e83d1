#pragma once
// Bytes as tokens: ids 0..255 are the bytes themselves, 256 ends a document. Nothing to train,
// nothing unknown, and any byte string decodes back exactly.
#include "text/tokenizer.hpp"

namespace emlab::text {

class ByteTokenizer final : public Tokenizer {
 public:
  static constexpr int32_t kEndOfDocument = 256;

  ByteTokenizer();
  int vocab_size() const override { return kEndOfDocument + 1; }
  int32_t end_of_document() const override { return kEndOfDocument; }
  void encode(std::string_view text, std::vector<int32_t>& ids) const override;
  std::string decode(const std::vector<int32_t>& ids) const override;  // skips specials
  const std::string& identity() const override { return identity_; }
  std::string describe() const override { return "byte"; }

 private:
  std::string identity_;
};

}  // namespace emlab::text
