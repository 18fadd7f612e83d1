#pragma once
// Training rows from a token file: windows of T+1 consecutive tokens at random places of one part
// (training or validation), every position scored. Its position is its random generator, so it
// resumes exactly like the built-in streams; its saved state also names the corpus and tokenizer
// hashes, so resuming on other data or with another tokenizer is an error, not a silent switch.
#include <memory>
#include <string>

#include "text/token_file.hpp"
#include "train/synthetic_streams.hpp"

namespace emlab::text {

class CorpusStream final : public train::SeededStream {
 public:
  // Throws emlab::Error when the part holds fewer than window + 1 tokens.
  CorpusStream(std::shared_ptr<const TokenFile> file, Part part, int window, uint64_t seed,
               std::string description);
  int vocab_size() const override { return static_cast<int>(file_->header().vocab_size); }
  // T must not exceed the window the stream was made for.
  void next_batch(int B, int T, int32_t* tokens, int32_t* targets) override;
  std::string describe() const override { return description_; }
  // "<generator state> corpus=<sha256> tokenizer=<sha256>"
  std::string save_state() const override;
  void restore_state(const std::string& state) override;

 private:
  std::shared_ptr<const TokenFile> file_;
  Part part_;
  int window_;
  std::string description_;
  std::vector<int32_t> row_;
};

// The stream a [data] table with `corpus` set asks for: the corpus tokenized by data.tokenizer
// (cached in data.token_cache), its training or validation part, windows of `window` tokens.
// Throws emlab::Error naming the data.* key at fault, or model.vocab_size when the tokenizer's
// vocabulary does not fit in it. Token files are opened once per process.
std::unique_ptr<train::TokenStream> make_corpus_stream(const train::StreamConfig& data, Part part,
                                                       int window, int model_vocab_size,
                                                       uint64_t seed);

}  // namespace emlab::text
