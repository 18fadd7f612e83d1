#include "text/corpus_stream.hpp"

#include <map>
#include <mutex>
#include <tuple>

#include "core/error.hpp"
#include "text/shipped_corpus.hpp"
#include "text/token_cache.hpp"

namespace emlab::text {

namespace {

const char* part_name(Part part) {
  return part == Part::train ? "training" : "validation";
}

// The corpus files' names, sizes and modification times: cheap to take (no reading), and enough
// to notice that a corpus changed between two streams of one process.
std::string corpus_fingerprint(const CorpusOptions& corpus) {
  std::string fingerprint;
  for (const CorpusFile& file : list_corpus_files(corpus))
    fingerprint +=
        fmt::format("{}\n{}\n{}\n", file.name, std::filesystem::file_size(file.path),
                    std::filesystem::last_write_time(file.path).time_since_epoch().count());
  return fingerprint;
}

// Sweeps ask for a validation stream at every checkpoint: hash and map the corpus once, again
// only when its files change.
std::shared_ptr<const TokenFile> open_once(const train::StreamConfig& data,
                                           const Tokenizer& tokenizer) {
  struct Opened {
    std::string fingerprint;
    std::shared_ptr<const TokenFile> file;
  };
  static std::mutex mutex;
  static std::map<std::tuple<std::string, std::string, std::string, std::string>, Opened> opened;
  const CorpusOptions corpus = resolve_corpus(data.corpus, data.text_field);
  std::string fingerprint = corpus_fingerprint(corpus);
  const std::lock_guard lock(mutex);
  auto& entry = opened[{data.corpus, data.text_field, tokenizer.identity(), data.token_cache}];
  if (!entry.file || entry.fingerprint != fingerprint) {
    const auto folder =
        data.token_cache.empty() ? default_token_cache() : std::filesystem::path(data.token_cache);
    entry.file = prepare_token_file(corpus, tokenizer, folder);
    entry.fingerprint = std::move(fingerprint);
  }
  return entry.file;
}

}  // namespace

CorpusStream::CorpusStream(std::shared_ptr<const TokenFile> file, Part part, int window,
                           uint64_t seed, std::string description, CorpusView view)
    : SeededStream(seed),
      file_(std::move(file)),
      part_(part),
      window_(window),
      description_(std::move(description)),
      view_(view) {
  require(window >= 1, "corpus stream: the window must be at least one token (got {})", window);
  require(view_.fraction > 0 && view_.fraction <= 1,
          "data.corpus_fraction: must be in (0, 1] (got {})", view_.fraction);
  tokens_ = static_cast<uint64_t>(static_cast<double>(file_->size(part)) * view_.fraction);
  require(tokens_ >= static_cast<uint64_t>(window) + 1,
          "data.corpus: the {} part{} holds {} tokens, fewer than one context window of {} + 1 "
          "(model.context or train.seq_len); add text or shorten the window",
          part_name(part), view_.fraction < 1 ? " cut by data.corpus_fraction" : "", tokens_,
          window);
  row_.resize(static_cast<size_t>(window) + 1);
}

void CorpusStream::next_batch(int B, int T, int32_t* tokens, int32_t* targets) {
  require(T >= 1 && T <= window_, "corpus stream: rows of {} tokens, made for at most {}", T,
          window_);
  const uint64_t starts = tokens_ - static_cast<uint64_t>(T);  // windows of T + 1
  const int32_t offset = view_.id_offset;
  for (int b = 0; b < B; ++b) {
    file_->copy(part_, rng_.below(starts), static_cast<size_t>(T) + 1, row_.data());
    for (int j = 0; j < T; ++j) {
      tokens[b * T + j] = row_[static_cast<size_t>(j)] + offset;
      targets[b * T + j] = row_[static_cast<size_t>(j) + 1] + offset;
    }
  }
}

std::string CorpusStream::save_state() const {
  return fmt::format("{} corpus={} tokenizer={}", rng_.state_string(), file_->corpus_sha256(),
                     file_->tokenizer_sha256());
}

void CorpusStream::restore_state(const std::string& state) {
  const size_t corpus_at = state.find(" corpus="), tokenizer_at = state.find(" tokenizer=");
  require(corpus_at != std::string::npos && tokenizer_at != std::string::npos &&
              corpus_at < tokenizer_at,
          "corpus stream state: expected \"<generator> corpus=<sha256> tokenizer=<sha256>\" (a "
          "checkpoint of a run on a corpus)");
  const std::string corpus = state.substr(corpus_at + 8, tokenizer_at - corpus_at - 8);
  const std::string tokenizer = state.substr(tokenizer_at + 11);
  require(tokenizer == file_->tokenizer_sha256(),
          "resume: the checkpoint was trained with another tokenizer (SHA-256 {}...) than "
          "data.tokenizer now ({}...): resume with the tokenizer file it was trained with",
          tokenizer.substr(0, 12), file_->tokenizer_sha256().substr(0, 12));
  require(corpus == file_->corpus_sha256(),
          "resume: data.corpus changed since the checkpoint (SHA-256 {}... then, {}... now): the "
          "resumed run would not see the batches it would have seen",
          corpus.substr(0, 12), file_->corpus_sha256().substr(0, 12));
  rng_.set_state(Rng::parse_state(state.substr(0, corpus_at)));
}

std::unique_ptr<CorpusStream> make_corpus_stream(const train::StreamConfig& data, Part part,
                                                 int window, int model_vocab_size, uint64_t seed,
                                                 int32_t id_offset) {
  const auto tokenizer = make_tokenizer(data.tokenizer);
  require(id_offset + tokenizer->vocab_size() <= model_vocab_size,
          "model.vocab_size: {} is smaller than the {} ids data.tokenizer = {} needs{}",
          model_vocab_size, id_offset + tokenizer->vocab_size(), tokenizer->describe(),
          id_offset > 0 ? fmt::format(" after the task alphabet's {} ids", id_offset) : "");
  auto file = open_once(data, *tokenizer);
  require_same_tokenizer(*file, *tokenizer);
  const CorpusView view{part == Part::train ? data.corpus_fraction : 1.0, id_offset};
  std::string description = fmt::format(
      "corpus({}, {}, {} part: {} tokens{}{})", data.corpus, tokenizer->describe(), part_name(part),
      file->size(part), view.fraction < 1 ? fmt::format(", first {:g} of them", view.fraction) : "",
      id_offset > 0 ? fmt::format(", ids from {}", id_offset) : "");
  return std::make_unique<CorpusStream>(std::move(file), part, window, seed, std::move(description),
                                        view);
}

}  // namespace emlab::text
