// Corpus files as data.corpus reads them: a JSON Lines file (UTF-8 check, one JSON value per
// line, the text field) into documents.
#include "fuzz_corpus.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return emlab::fuzz::read_as_corpus_file(data, size, ".jsonl");
}
