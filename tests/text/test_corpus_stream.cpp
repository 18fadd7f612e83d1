// Training rows from a corpus: contiguous windows of the training part (targets shifted by one),
// seeded and resumable to the same batches, and the errors for a corpus too small or a
// vocabulary that does not fit the model.
#include <gtest/gtest.h>

#include <algorithm>

#include "support/error_message.hpp"
#include "text/corpus_stream.hpp"
#include "text_files.hpp"
#include "train/train_config.hpp"

namespace emlab::text {
namespace {

using testing::error_message;

train::StreamConfig corpus_config(const std::filesystem::path& dir) {
  train::StreamConfig data;
  data.corpus = (dir / "corpus.txt").string();
  data.token_cache = (dir / "cache").string();
  return data;
}

void write_corpus(const std::filesystem::path& dir, int paragraphs) {
  std::string text;
  for (int i = 0; i < paragraphs; ++i)
    text += "Paragraph " + std::to_string(i) + " says something new.\n\n";
  write_file(dir / "corpus.txt", text);
}

class CorpusStreamPart : public ::testing::TestWithParam<Part> {};

TEST_P(CorpusStreamPart, RowsAreWindowsOfTheirPartAndTargetsTheNextToken) {
  const auto dir = fresh_dir(GetParam() == Part::train ? "stream_train" : "stream_validation");
  write_corpus(dir, 400);
  constexpr int B = 8, T = 16;
  const auto stream = make_corpus_stream(corpus_config(dir), GetParam(), T, 300, 7);
  EXPECT_EQ(stream->vocab_size(), 257);
  EXPECT_NE(
      stream->describe().find(GetParam() == Part::train ? "training part" : "validation part"),
      std::string::npos)
      << stream->describe();
  // The part as tokens: every row must be a slice of it.
  const auto file = TokenFile(std::filesystem::directory_iterator(dir / "cache")->path());
  std::vector<int32_t> part(file.size(GetParam()));
  file.copy(GetParam(), 0, part.size(), part.data());
  std::vector<int32_t> tokens(B * T), targets(B * T);
  stream->next_batch(B, T, tokens.data(), targets.data());
  for (int b = 0; b < B; ++b) {
    std::vector<int32_t> window(tokens.begin() + b * T, tokens.begin() + (b + 1) * T);
    window.push_back(targets[static_cast<size_t>(b * T + T - 1)]);
    EXPECT_NE(std::search(part.begin(), part.end(), window.begin(), window.end()), part.end());
    for (int j = 0; j + 1 < T; ++j)
      EXPECT_EQ(targets[static_cast<size_t>(b * T + j)],
                tokens[static_cast<size_t>(b * T + j + 1)]);
  }
}

INSTANTIATE_TEST_SUITE_P(Parts, CorpusStreamPart, ::testing::Values(Part::train, Part::validation));

TEST(CorpusStream, ARestoredStreamGivesTheSameBatchesAndSeedsDiffer) {
  const auto dir = fresh_dir("stream_resume");
  write_corpus(dir, 200);
  constexpr int B = 4, T = 32;
  const auto a = make_corpus_stream(corpus_config(dir), Part::train, T, 257, 11);
  const auto b = make_corpus_stream(corpus_config(dir), Part::train, T, 257, 99);
  std::vector<int32_t> ta(B * T), ga(B * T), tb(B * T), gb(B * T);
  a->next_batch(B, T, ta.data(), ga.data());
  b->next_batch(B, T, tb.data(), gb.data());
  EXPECT_NE(ta, tb);
  const std::string state = a->save_state();
  for (int step = 0; step < 3; ++step) {
    a->next_batch(B, T, ta.data(), ga.data());
    if (step == 0) b->restore_state(state);
    b->next_batch(B, T, tb.data(), gb.data());
    EXPECT_EQ(ta, tb);
    EXPECT_EQ(ga, gb);
  }
}

TEST(CorpusStream, TooSmallACorpusOrTooSmallAVocabularyIsAClearError) {
  const auto dir = fresh_dir("stream_errors");
  write_corpus(dir, 3);
  EXPECT_NE(error_message([&] {
              make_corpus_stream(corpus_config(dir), Part::train, 512, 257, 1);
            }).find("fewer than one context window of 512 + 1"),
            std::string::npos);
  EXPECT_EQ(error_message([&] { make_corpus_stream(corpus_config(dir), Part::train, 8, 64, 1); }),
            "model.vocab_size: 64 is smaller than the 257 ids data.tokenizer = byte needs");
}

TEST(CorpusStream, ResumingOnAnotherCorpusOrWithAnotherTokenizerIsRefused) {
  const auto dir = fresh_dir("stream_mismatch");
  write_corpus(dir, 200);
  const auto before = make_corpus_stream(corpus_config(dir), Part::train, 8, 257, 5);
  const std::string state = before->save_state();
  EXPECT_NE(state.find(" corpus="), std::string::npos);

  std::string other_tokenizer = state;
  other_tokenizer.back() = other_tokenizer.back() == '0' ? '1' : '0';
  EXPECT_NE(error_message([&] {
              before->restore_state(other_tokenizer);
            }).find("resume: the checkpoint was trained with another tokenizer"),
            std::string::npos);
  EXPECT_NE(error_message([&] { before->restore_state("0123"); }).find("corpus stream state"),
            std::string::npos);

  write_corpus(dir, 201);  // the corpus grew since the checkpoint
  const auto after = make_corpus_stream(corpus_config(dir), Part::train, 8, 257, 5);
  EXPECT_NE(error_message([&] {
              after->restore_state(state);
            }).find("resume: data.corpus changed since the checkpoint"),
            std::string::npos);
}

TEST(CorpusStream, AFractionOfTheCorpusDrawsOnlyFromItsFirstPart) {
  // The training part holds 100 paragraphs about cats, then 100 about dogs: half of it sees only
  // cats, and every id is raised by the offset.
  const auto dir = fresh_dir("stream_fraction");
  std::string text;
  for (int i = 0; i < 200; ++i)
    text += (i < 100 ? "cats " : "dogs ") + std::to_string(i) + " of them.\n\n";
  write_file(dir / "corpus.txt", text);
  auto data = corpus_config(dir);
  data.corpus_fraction = 0.4;
  const auto stream = make_corpus_stream(data, Part::train, 16, 300, 3, 40);
  EXPECT_EQ(stream->vocab_size(), 297);
  EXPECT_NE(stream->describe().find("first 0.4 of them, ids from 40"), std::string::npos)
      << stream->describe();
  const auto whole = make_corpus_stream(corpus_config(dir), Part::train, 16, 300, 3);
  EXPECT_NEAR(static_cast<double>(stream->tokens()) / static_cast<double>(whole->tokens()), 0.4,
              1e-3);
  std::vector<int32_t> tokens(64 * 16), targets(tokens.size());
  for (int i = 0; i < 20; ++i) {
    stream->next_batch(64, 16, tokens.data(), targets.data());
    for (int32_t t : tokens) {
      EXPECT_GE(t, 40);
      EXPECT_NE(t, 'd' + 40) << "a window from the dogs' half";
    }
  }
}

}  // namespace
}  // namespace emlab::text
