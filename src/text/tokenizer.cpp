#include "text/tokenizer.hpp"

#include "text/byte_tokenizer.hpp"
#include "text/sentencepiece_tokenizer.hpp"

namespace emlab::text {

std::unique_ptr<Tokenizer> make_tokenizer(const std::string& spec) {
  if (spec == "byte") return std::make_unique<ByteTokenizer>();
  return std::make_unique<SentencePieceTokenizer>(spec);
}

}  // namespace emlab::text
