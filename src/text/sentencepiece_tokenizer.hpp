#pragma once
// A trained SentencePiece model (BPE or unigram), loaded from its .model file. Its identity is
// the SHA-256 of that file, so retraining into the same path is noticed.
#include <filesystem>
#include <memory>

#include "text/tokenizer.hpp"

namespace sentencepiece {
class SentencePieceProcessor;
}

namespace emlab::text {

class SentencePieceTokenizer final : public Tokenizer {
 public:
  // Throws emlab::Error naming the file when it cannot be read or is not a SentencePiece model,
  // or when the model has no end-of-sentence piece (used to end documents).
  explicit SentencePieceTokenizer(const std::filesystem::path& model_file);
  ~SentencePieceTokenizer() override;

  int vocab_size() const override;
  int32_t end_of_document() const override;
  void encode(std::string_view text, std::vector<int32_t>& ids) const override;
  std::string decode(const std::vector<int32_t>& ids) const override;
  const std::string& identity() const override { return identity_; }
  std::string describe() const override;

 private:
  std::filesystem::path file_;
  std::unique_ptr<sentencepiece::SentencePieceProcessor> processor_;
  std::string identity_;
};

}  // namespace emlab::text
