// Corpus files as data.corpus reads them: a gzip-compressed plain text file (zlib, UTF-8 check,
// paragraphs) into documents.
#include "fuzz_corpus.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return emlab::fuzz::read_as_corpus_file(data, size, ".txt.gz");
}
