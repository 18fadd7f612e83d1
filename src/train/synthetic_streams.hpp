#pragma once
// Built-in streams that need no task suite: enough to watch a model learn.
#include <memory>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "train/token_stream.hpp"

namespace emlab::train {

// A stream whose only state is its random generator: saving and restoring it is the same for all.
class SeededStream : public TokenStream {
 public:
  std::string save_state() const override { return rng_.state_string(); }
  void restore_state(const std::string& state) override;

 protected:
  explicit SeededStream(uint64_t seed) : rng_(seed) {}
  Rng rng_;
};

// Episodes "x1..xk SEP x1..xk SEP" of random symbols; only the predictable positions (the copy
// and the separators) are scored. Symbols are 0..vocab-2, SEP is vocab-1.
class CopyStream final : public SeededStream {
 public:
  CopyStream(int vocab, int span, uint64_t seed);
  int vocab_size() const override { return vocab_; }
  void next_batch(int B, int T, int32_t* tokens, int32_t* targets) override;
  std::string describe() const override;

 private:
  int vocab_, span_;
  std::vector<int32_t> symbols_;  // the current episode's symbols
};

// Rows a, a+1, a+2, ... (mod vocab) from a random start: every target is predictable.
class CountingStream final : public SeededStream {
 public:
  CountingStream(int vocab, uint64_t seed);
  int vocab_size() const override { return vocab_; }
  void next_batch(int B, int T, int32_t* tokens, int32_t* targets) override;
  std::string describe() const override;

 private:
  int vocab_;
};

// Text-like rows for induction: random tokens, with spans of 2..max_span tokens copied from an
// earlier place in the same row at random offsets. Every position is scored; only a head that
// finds the earlier occurrence of the current token and copies what followed it can predict a
// copied span (position alone says nothing: spans start anywhere and have any length). About
// half of all tokens sit in copied spans.
class RepeatedSpansStream final : public SeededStream {
 public:
  RepeatedSpansStream(int vocab, int max_span, uint64_t seed);
  int vocab_size() const override { return vocab_; }
  void next_batch(int B, int T, int32_t* tokens, int32_t* targets) override;
  std::string describe() const override;

 private:
  int vocab_, max_span_;
  std::vector<int32_t> row_;
};

// In-context bigram statistics (the "ICL Markov chain" task of Edelman et al. 2024): every row
// follows its own random Markov chain over the vocabulary, in which each state may go to
// `successors` states drawn at random for that row, each with equal probability. Every position is
// scored. Only the row's own earlier transitions tell what may follow the current token, so the
// way to predict is to find earlier occurrences of it and look at what came next: an induction
// head. Position says nothing, and no span of the row repeats as a whole.
class MarkovStream final : public SeededStream {
 public:
  MarkovStream(int vocab, int successors, uint64_t seed);
  int vocab_size() const override { return vocab_; }
  void next_batch(int B, int T, int32_t* tokens, int32_t* targets) override;
  std::string describe() const override;

 private:
  int vocab_, successors_;
  std::vector<int32_t> order_, next_;  // a shuffle of the states; next_[s * successors + i]
};

// The [data] table of a training config. Either a built-in synthetic stream (`task`), or, when
// `tasks` is non-empty, a weighted mixture from the task suite (tasks/, built by io/), or, when
// `corpus` is set, windows of tokenized text (text/, built by io/), or, with both, text with a
// share `task_share` of task rows.
struct StreamConfig {
  std::string task = "copy";       // built-in: copy | counting | repeats | markov | hops
  int span = 8;                    // copy: symbols per episode; repeats: longest copied span
  int successors = 2;              // markov: states each state may go to
  int letters = 4;                 // hops: letters of the strings
  int hops = 4;                    // hops: rows ask for k = 0..hops (train/hop_stream.hpp)
  std::vector<std::string> tasks;  // task-suite specs, e.g. "add(digits=3 reverse=true)"
  std::vector<double> weights;     // one per task (default: equal)
  int64_t pool_size = 0;           // > 0: repeat a fixed pool of this many unique examples
  bool score_prompt = false;       // also train on prompt tokens, not only answers

  // Text (docs/text.md): a .txt/.jsonl(.gz) file or a folder of them, the JSONL field holding a
  // document, "byte" or a SentencePiece .model file, the folder of token files ("" = user cache).
  std::string corpus;
  std::string text_field = "text";
  std::string tokenizer = "byte";
  std::string token_cache;
  double corpus_fraction = 1.0;  // train on the first part of the corpus only (repetition)
  // Text + task mixture (both corpus and tasks set): the share of training rows that are task
  // examples; the rest are text, its ids placed after the task alphabet's (docs/text.md).
  double task_share = 0.0;

  bool uses_task_suite() const { return !tasks.empty(); }
  bool uses_corpus() const { return !corpus.empty(); }
  bool is_mixture() const { return uses_corpus() && uses_task_suite(); }
};

// Throws emlab::Error naming data.task or data.span when they cannot be served with `vocab`.
std::unique_ptr<TokenStream> make_synthetic_stream(const StreamConfig& config, int vocab,
                                                   uint64_t seed);

}  // namespace emlab::train
