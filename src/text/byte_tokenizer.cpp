#include "text/byte_tokenizer.hpp"

#include "core/sha256.hpp"

namespace emlab::text {

ByteTokenizer::ByteTokenizer() {
  Sha256 digest;
  digest.update("emlab byte tokenizer v1: ids 0-255 bytes, 256 end of document");
  identity_ = digest.hex_digest();
}

void ByteTokenizer::encode(std::string_view text, std::vector<int32_t>& ids) const {
  ids.reserve(ids.size() + text.size());
  for (const char c : text) ids.push_back(static_cast<unsigned char>(c));
}

std::string ByteTokenizer::decode(const std::vector<int32_t>& ids) const {
  std::string text;
  text.reserve(ids.size());
  for (const int32_t id : ids)
    if (id >= 0 && id < 256) text.push_back(static_cast<char>(id));
  return text;
}

}  // namespace emlab::text
