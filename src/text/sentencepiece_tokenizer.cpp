#include "text/sentencepiece_tokenizer.hpp"

#include <sentencepiece_processor.h>

#include <fstream>

#include "core/error.hpp"
#include "core/sha256.hpp"

namespace emlab::text {

SentencePieceTokenizer::SentencePieceTokenizer(const std::filesystem::path& model_file)
    : file_(model_file), processor_(std::make_unique<sentencepiece::SentencePieceProcessor>()) {
  std::ifstream in(model_file, std::ios::binary);
  require(static_cast<bool>(in),
          "data.tokenizer: cannot open {} (expected \"byte\" or a SentencePiece .model file)",
          model_file.string());
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const auto status = processor_->LoadFromSerializedProto(bytes);
  require(status.ok(), "data.tokenizer: {} is not a SentencePiece model ({})", model_file.string(),
          status.ToString());
  require(processor_->eos_id() >= 0,
          "data.tokenizer: {} has no end-of-sentence piece (train it with emlab tokenizer train, "
          "which keeps </s> to end documents)",
          model_file.string());
  Sha256 digest;
  digest.update(bytes);
  identity_ = digest.hex_digest();
}

SentencePieceTokenizer::~SentencePieceTokenizer() = default;

int SentencePieceTokenizer::vocab_size() const {
  return processor_->GetPieceSize();
}

int32_t SentencePieceTokenizer::end_of_document() const {
  return processor_->eos_id();
}

void SentencePieceTokenizer::encode(std::string_view text, std::vector<int32_t>& ids) const {
  std::vector<int> piece_ids;
  const auto status = processor_->Encode(text, &piece_ids);
  if (!status.ok()) fail("{}: cannot encode text ({})", file_.string(), status.ToString());
  ids.insert(ids.end(), piece_ids.begin(), piece_ids.end());
}

std::string SentencePieceTokenizer::decode(const std::vector<int32_t>& ids) const {
  std::string text;
  const std::vector<int> piece_ids(ids.begin(), ids.end());
  const auto status = processor_->Decode(piece_ids, &text);
  if (!status.ok()) fail("{}: cannot decode ids ({})", file_.string(), status.ToString());
  return text;
}

std::string SentencePieceTokenizer::describe() const {
  return fmt::format("sentencepiece({}, vocab={})", file_.string(), vocab_size());
}

}  // namespace emlab::text
