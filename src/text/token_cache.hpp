#pragma once
// The token file of a (corpus, tokenizer) pair, built on first use and reused after. Its name
// holds both identities, so any change to a corpus file or to the tokenizer builds a new one; a
// cached file that fails its checks (truncated, damaged) is rebuilt.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "text/corpus.hpp"
#include "text/token_file.hpp"
#include "text/tokenizer.hpp"

namespace emlab::text {

// SHA-256 (hex) of what the documents are made from: the reading rules' version, the text field
// and every file's relative name and decompressed bytes.
std::string corpus_identity(const CorpusOptions& corpus, const std::vector<CorpusFile>& files);

// Where token files go when data.token_cache is empty: $EMLAB_CACHE_DIR, else
// $XDG_CACHE_HOME/emlab/tokens, else ~/.cache/emlab/tokens.
std::filesystem::path default_token_cache();

// Tokenizes every document of the corpus (split as split.hpp says) into contents ready for
// write_token_file; `corpus_hash` is corpus_identity's. Throws emlab::Error for an empty corpus.
TokenFileContents tokenize_corpus(const CorpusOptions& corpus, const Tokenizer& tokenizer,
                                  const std::string& corpus_hash);

// The token file for this corpus and tokenizer in `cache_folder`, built if missing or damaged.
std::shared_ptr<const TokenFile> prepare_token_file(const CorpusOptions& corpus,
                                                    const Tokenizer& tokenizer,
                                                    const std::filesystem::path& cache_folder);

// Throws emlab::Error unless `file` was made with `tokenizer`: ids from another vocabulary would
// train a model on nonsense without any other sign.
void require_same_tokenizer(const TokenFile& file, const Tokenizer& tokenizer);

}  // namespace emlab::text
