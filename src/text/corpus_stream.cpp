#include "text/corpus_stream.hpp"

#include <map>
#include <mutex>
#include <tuple>

#include "core/error.hpp"
#include "text/token_cache.hpp"

namespace emlab::text {

namespace {

const char* part_name(Part part) {
  return part == Part::train ? "training" : "validation";
}

// Sweeps ask for a validation stream at every checkpoint: hash and map the corpus once.
std::shared_ptr<const TokenFile> open_once(const train::StreamConfig& data,
                                           const Tokenizer& tokenizer) {
  static std::mutex mutex;
  static std::map<std::tuple<std::string, std::string, std::string, std::string>,
                  std::shared_ptr<const TokenFile>>
      opened;
  const std::lock_guard lock(mutex);
  auto& file = opened[{data.corpus, data.text_field, tokenizer.identity(), data.token_cache}];
  if (!file) {
    const CorpusOptions corpus{data.corpus, data.text_field};
    const auto folder =
        data.token_cache.empty() ? default_token_cache() : std::filesystem::path(data.token_cache);
    file = prepare_token_file(corpus, tokenizer, folder);
  }
  return file;
}

}  // namespace

CorpusStream::CorpusStream(std::shared_ptr<const TokenFile> file, Part part, int window,
                           uint64_t seed, std::string description)
    : SeededStream(seed),
      file_(std::move(file)),
      part_(part),
      window_(window),
      description_(std::move(description)) {
  require(window >= 1, "corpus stream: the window must be at least one token (got {})", window);
  require(file_->size(part) >= static_cast<uint64_t>(window) + 1,
          "data.corpus: the {} part holds {} tokens, fewer than one context window of {} + 1 "
          "(model.context or train.seq_len); add text or shorten the window",
          part_name(part), file_->size(part), window);
  row_.resize(static_cast<size_t>(window) + 1);
}

void CorpusStream::next_batch(int B, int T, int32_t* tokens, int32_t* targets) {
  require(T >= 1 && T <= window_, "corpus stream: rows of {} tokens, made for at most {}", T,
          window_);
  const uint64_t starts = file_->size(part_) - static_cast<uint64_t>(T);  // windows of T + 1
  for (int b = 0; b < B; ++b) {
    file_->copy(part_, rng_.below(starts), static_cast<size_t>(T) + 1, row_.data());
    for (int j = 0; j < T; ++j) {
      tokens[b * T + j] = row_[static_cast<size_t>(j)];
      targets[b * T + j] = row_[static_cast<size_t>(j) + 1];
    }
  }
}

std::unique_ptr<train::TokenStream> make_corpus_stream(const train::StreamConfig& data, Part part,
                                                       int window, int model_vocab_size,
                                                       uint64_t seed) {
  const auto tokenizer = make_tokenizer(data.tokenizer);
  require(tokenizer->vocab_size() <= model_vocab_size,
          "model.vocab_size: {} is smaller than the vocabulary of data.tokenizer = {} ({} tokens)",
          model_vocab_size, tokenizer->describe(), tokenizer->vocab_size());
  auto file = open_once(data, *tokenizer);
  require_same_tokenizer(*file, *tokenizer);
  std::string description = fmt::format("corpus({}, {}, {} part: {} tokens)", data.corpus,
                                        tokenizer->describe(), part_name(part), file->size(part));
  return std::make_unique<CorpusStream>(std::move(file), part, window, seed,
                                        std::move(description));
}

}  // namespace emlab::text
