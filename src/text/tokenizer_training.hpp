#pragma once
// `emlab tokenizer train`: a SentencePiece model learnt from a corpus's training documents (the
// validation part stays unseen), set up so that every UTF-8 string round-trips exactly: byte
// fallback for what the vocabulary lacks, identity normalisation, whitespace kept as written.
#include <filesystem>
#include <string>

#include "text/corpus.hpp"

namespace emlab::text {

struct TokenizerTraining {
  int vocab_size = 8000;
  std::string type = "bpe";  // bpe | unigram
  int threads = 0;           // 0 = all cores
  // Lines the trainer learns from at most (SentencePiece's default sample size): a uniform
  // sample of a larger corpus, so memory stays bounded whatever the corpus's size.
  int64_t max_lines = 1'000'000;
};

struct TrainedTokenizer {
  int64_t sentences = 0;   // lines of training documents the trainer was given
  int64_t lines_seen = 0;  // all of them (more than `sentences`: it got a uniform sample)
};

// Writes the model to `output` (through a temporary file, so a failure leaves no partial model).
// Throws emlab::Error for a bad type or vocabulary size, an empty corpus, or SentencePiece's own
// complaint (e.g. a vocabulary larger than the corpus can fill).
TrainedTokenizer train_sentencepiece(const CorpusOptions& corpus, const TokenizerTraining& options,
                                     const std::filesystem::path& output);

}  // namespace emlab::text
