// emlab tokenizer: `train` learns a SentencePiece model from a corpus (byte fallback, identity
// normalisation: any UTF-8 text round-trips); `prepare` tokenizes a corpus into the token file a
// training run with data.corpus would use (or finds it already built) and says how long it took.
#include <fmt/format.h>

#include <filesystem>

#include "cli/commands.hpp"
#include "core/timer.hpp"
#include "text/shipped_corpus.hpp"
#include "text/token_cache.hpp"
#include "text/tokenizer_training.hpp"

namespace emlab::cli {

namespace {

struct TokenizerOptions {
  std::string corpus, output, tokenizer = "byte", cache, text_field = "text";
  text::TokenizerTraining training;
};

void train(const TokenizerOptions& o) {
  const Timer timer;
  const auto trained =
      text::train_sentencepiece(text::resolve_corpus(o.corpus, o.text_field), o.training, o.output);
  const auto tokenizer = text::make_tokenizer(o.output);
  fmt::print(
      "{}: {} model, {} pieces, learnt from {} of {} lines of training documents in "
      "{:.1f} s\n",
      o.output, o.training.type, tokenizer->vocab_size(), trained.sentences, trained.lines_seen,
      timer.seconds());
}

void prepare(const TokenizerOptions& o) {
  const text::CorpusOptions corpus = text::resolve_corpus(o.corpus, o.text_field);
  uint64_t bytes = 0;
  for (const auto& file : text::list_corpus_files(corpus))
    bytes += std::filesystem::file_size(file.path);
  const auto tokenizer = text::make_tokenizer(o.tokenizer);
  const Timer timer;
  const auto file = text::prepare_token_file(
      corpus, *tokenizer,
      o.cache.empty() ? text::default_token_cache() : std::filesystem::path(o.cache));
  const double seconds = timer.seconds();
  const auto& h = file->header();
  fmt::print("{}\n  {} documents ({} held out), {} training and {} validation tokens of {}\n",
             file->path().string(), h.documents, h.validation_documents, h.train_tokens,
             h.validation_tokens, tokenizer->describe());
  fmt::print(
      "  {:.2f} s for {:.1f} MB of corpus files ({:.1f} MB/s; a reused file is only "
      "hashed)\n",
      seconds, static_cast<double>(bytes) / 1e6, static_cast<double>(bytes) / 1e6 / seconds);
}

}  // namespace

void register_tokenizer(CLI::App& app) {
  auto o = std::make_shared<TokenizerOptions>();
  CLI::App* cmd = app.add_subcommand("tokenizer", "Train a tokenizer or tokenize a corpus");
  cmd->require_subcommand(1);

  CLI::App* train_cmd =
      cmd->add_subcommand("train", "Learn a SentencePiece model from a corpus's training part");
  train_cmd
      ->add_option("corpus", o->corpus,
                   "A .txt/.jsonl file (or .gz), a folder of them, or shipped:brown")
      ->required();
  train_cmd->add_option("--vocab", o->training.vocab_size, "Pieces in the vocabulary (>= 260)")
      ->required();
  train_cmd->add_option("--type", o->training.type, "bpe (default) or unigram");
  train_cmd->add_option("-o,--output", o->output, "The model file to write")->required();
  train_cmd->add_option("--text-field", o->text_field, "JSONL field holding the text");
  train_cmd->add_option("--threads", o->training.threads, "Trainer threads (0 = all cores)");
  train_cmd->callback([o] { train(*o); });

  CLI::App* prepare_cmd = cmd->add_subcommand(
      "prepare", "Tokenize a corpus into its cached token file (what data.corpus trains on)");
  prepare_cmd
      ->add_option("corpus", o->corpus,
                   "A .txt/.jsonl file (or .gz), a folder of them, or shipped:brown")
      ->required();
  prepare_cmd->add_option("--tokenizer", o->tokenizer, "byte (default) or a SentencePiece .model");
  prepare_cmd->add_option("--cache", o->cache, "Folder of token files (default: the user cache)");
  prepare_cmd->add_option("--text-field", o->text_field, "JSONL field holding the text");
  prepare_cmd->callback([o] { prepare(*o); });
}

}  // namespace emlab::cli
