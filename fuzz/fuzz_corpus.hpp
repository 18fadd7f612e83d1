#pragma once
// What the corpus targets share: the input as one corpus file of a given kind, read into
// documents as data.corpus reads it.
#include <filesystem>

#include "fuzz_input.hpp"
#include "text/corpus.hpp"

namespace emlab::fuzz {

inline int read_as_corpus_file(const uint8_t* data, size_t size, const char* suffix) {
  const auto path = as_file(data, size, suffix);
  const int r = expect_clear_errors([&] {
    const text::CorpusOptions corpus{path};
    for (const auto& file : text::list_corpus_files(corpus)) {
      const std::string content = text::read_corpus_file(file);
      text::visit_documents(file, content, corpus.text_field,
                            [](std::string_view document, int64_t) { (void)document.size(); });
    }
  });
  std::filesystem::remove(path);
  return r;
}

}  // namespace emlab::fuzz
