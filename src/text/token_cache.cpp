#include "text/token_cache.hpp"

#include <cstdlib>
#include <exception>

#include "core/error.hpp"
#include "core/sha256.hpp"
#include "text/split.hpp"

namespace emlab::text {

namespace fs = std::filesystem;

namespace {
// Bump when the way files become documents changes, so old token files are not reused.
constexpr std::string_view kDocumentRules = "emlab corpus documents v1";
}  // namespace

std::string corpus_identity(const CorpusOptions& corpus, const std::vector<CorpusFile>& files) {
  Sha256 digest;
  digest.update(kDocumentRules);
  digest.update(std::string_view("\0", 1));
  digest.update(corpus.text_field);
  for (const CorpusFile& file : files) {
    const std::string content = read_corpus_file(file);
    const std::string sizes = fmt::format("\n{}\n{}\n", file.name, content.size());
    digest.update(sizes);
    digest.update(content);
  }
  return digest.hex_digest();
}

fs::path default_token_cache() {
  if (const char* dir = std::getenv("EMLAB_CACHE_DIR"); dir && *dir) return fs::path(dir);
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    return fs::path(xdg) / "emlab" / "tokens";
  const char* home = std::getenv("HOME");
  require(home && *home,
          "data.token_cache: no folder given and neither EMLAB_CACHE_DIR, XDG_CACHE_HOME nor "
          "HOME is set");
  return fs::path(home) / ".cache" / "emlab" / "tokens";
}

TokenFileContents tokenize_corpus(const CorpusOptions& corpus, const Tokenizer& tokenizer,
                                  const std::string& corpus_hash) {
  const std::vector<CorpusFile> files = list_corpus_files(corpus);
  TokenFileContents c;
  c.vocab_size = static_cast<uint32_t>(tokenizer.vocab_size());
  c.end_of_document = tokenizer.end_of_document();
  c.tokenizer_sha256 = tokenizer.identity();
  c.corpus_sha256 = corpus_hash;
  // Documents are gathered into batches of several megabytes across files, encoded in parallel
  // (both tokenizers are thread-safe) and appended in order: one parallel region per batch, not
  // per file, so a folder of small files does not pay a thread barrier each.
  std::vector<std::string> batch;
  size_t batch_bytes = 0;
  std::vector<std::vector<int32_t>> ids;
  auto encode_batch = [&] {
    ids.assign(batch.size(), {});
    const auto n = static_cast<int64_t>(batch.size());
    std::exception_ptr failure;
#pragma omp parallel for schedule(dynamic, 16)
    for (int64_t i = 0; i < n; ++i) {
      try {
        tokenizer.encode(batch[static_cast<size_t>(i)], ids[static_cast<size_t>(i)]);
      } catch (...) {
#pragma omp critical
        failure = std::current_exception();
      }
    }
    if (failure) std::rethrow_exception(failure);
    for (size_t i = 0; i < batch.size(); ++i) {
      const bool validation = is_validation_document(batch[i]);
      std::vector<int32_t>& part = validation ? c.validation : c.train;
      part.insert(part.end(), ids[i].begin(), ids[i].end());
      part.push_back(c.end_of_document);
      ++c.documents;
      c.validation_documents += validation ? 1 : 0;
    }
    batch.clear();
    batch_bytes = 0;
  };
  constexpr size_t kBatchBytes = 16 << 20;
  for (const CorpusFile& file : files) {
    const std::string content = read_corpus_file(file);
    visit_documents(file, content, corpus.text_field, [&](std::string_view document, int64_t) {
      batch.emplace_back(document);
      batch_bytes += document.size();
    });
    if (batch_bytes >= kBatchBytes) encode_batch();
  }
  encode_batch();
  require(c.documents > 0, "data.corpus: {} holds no text (every file is empty or blank)",
          corpus.path.string());
  return c;
}

std::shared_ptr<const TokenFile> prepare_token_file(const CorpusOptions& corpus,
                                                    const Tokenizer& tokenizer,
                                                    const fs::path& cache_folder) {
  const std::string corpus_hash = corpus_identity(corpus, list_corpus_files(corpus));
  const fs::path path = cache_folder / fmt::format("{}-{}.tokens", corpus_hash.substr(0, 20),
                                                   tokenizer.identity().substr(0, 20));
  if (fs::exists(path)) {
    try {
      auto file = std::make_shared<const TokenFile>(path);
      if (file->corpus_sha256() == corpus_hash && file->tokenizer_sha256() == tokenizer.identity())
        return file;
    } catch (const Error&) {
      // Damaged (e.g. truncated by a full disk or a copy): rebuilt below.
    }
  }
  TokenFileContents contents = tokenize_corpus(corpus, tokenizer, corpus_hash);
  write_token_file(path, contents);
  return std::make_shared<const TokenFile>(path);
}

void require_same_tokenizer(const TokenFile& file, const Tokenizer& tokenizer) {
  require(file.tokenizer_sha256() == tokenizer.identity(),
          "{}: made with another tokenizer (SHA-256 {}…) than data.tokenizer = {} ({}…)",
          file.path().string(), file.tokenizer_sha256().substr(0, 12), tokenizer.describe(),
          tokenizer.identity().substr(0, 12));
  require(file.header().vocab_size == static_cast<uint32_t>(tokenizer.vocab_size()),
          "{}: vocabulary of {} tokens, but {} has {}", file.path().string(),
          file.header().vocab_size, tokenizer.describe(), tokenizer.vocab_size());
}

}  // namespace emlab::text
