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

// Which windows a stream draws and how it writes them: from the first `fraction` of its part
// only (a smaller corpus, repeated: data.corpus_fraction), with every id raised by `id_offset`
// (text beside the task alphabet in a text + task mixture, io/training_stream.hpp).
struct CorpusView {
  double fraction = 1.0;
  int32_t id_offset = 0;
};

class CorpusStream final : public train::SeededStream {
 public:
  // Throws emlab::Error when the part (as cut by the view) holds fewer than window + 1 tokens.
  CorpusStream(std::shared_ptr<const TokenFile> file, Part part, int window, uint64_t seed,
               std::string description, CorpusView view = {});
  int vocab_size() const override {
    return static_cast<int>(file_->header().vocab_size) + view_.id_offset;
  }
  // Tokens the stream draws its windows from.
  uint64_t tokens() const { return tokens_; }
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
  CorpusView view_;
  uint64_t tokens_ = 0;
  std::vector<int32_t> row_;
};

// The stream a [data] table with `corpus` set asks for: the corpus (a path or a shipped corpus)
// tokenized by data.tokenizer (cached in data.token_cache), its training part (cut to
// data.corpus_fraction) or its validation part (whole), windows of `window` tokens, ids raised by
// `id_offset`. Throws emlab::Error naming the data.* key at fault, or model.vocab_size when the
// ids do not fit in it. Token files are opened once per process.
std::unique_ptr<CorpusStream> make_corpus_stream(const train::StreamConfig& data, Part part,
                                                 int window, int model_vocab_size, uint64_t seed,
                                                 int32_t id_offset = 0);

}  // namespace emlab::text
