// Both tokenizers give back the exact bytes of multi-byte UTF-8 text (Greek, Korean, emoji) with
// its runs of spaces, tabs and line breaks; SentencePiece is trained here, BPE and unigram.
#include <gtest/gtest.h>

#include "support/error_message.hpp"
#include "text/byte_tokenizer.hpp"
#include "text/sentencepiece_tokenizer.hpp"
#include "text/tokenizer_training.hpp"
#include "text_files.hpp"

namespace emlab::text {
namespace {

using testing::error_message;

// Paragraphs enough for a few hundred pieces: the multilingual text with numbered variations.
std::string training_text() {
  std::string text;
  for (int i = 0; i < 200; ++i)
    text += kMultilingual + "Paragraph " + std::to_string(i) + " of the training text.\n\n";
  return text;
}

TEST(ByteTokenizer, IdsAreTheBytesAndDecodingGivesThemBack) {
  const ByteTokenizer tokenizer;
  EXPECT_EQ(tokenizer.vocab_size(), 257);
  std::vector<int32_t> ids;
  tokenizer.encode("A\xce\xb1", ids);  // A, then α as two bytes
  EXPECT_EQ(ids, (std::vector<int32_t>{65, 0xce, 0xb1}));
  ids.clear();
  tokenizer.encode(kMultilingual, ids);
  EXPECT_EQ(ids.size(), kMultilingual.size());
  ids.push_back(tokenizer.end_of_document());  // specials decode to nothing
  EXPECT_EQ(tokenizer.decode(ids), kMultilingual);
}

class TrainedSentencePiece : public ::testing::TestWithParam<std::string> {};

TEST_P(TrainedSentencePiece, RoundTripsMultiByteTextExactly) {
  const auto dir = fresh_dir("sentencepiece_" + GetParam());
  write_file(dir / "corpus.txt", training_text());
  TokenizerTraining options;
  options.vocab_size = 400;
  options.type = GetParam();
  options.threads = 1;
  const auto trained = train_sentencepiece({dir / "corpus.txt"}, options, dir / "tok.model");
  EXPECT_GT(trained.sentences, 0);
  EXPECT_FALSE(std::filesystem::exists(dir / "tok.model.partial"));

  const SentencePieceTokenizer tokenizer(dir / "tok.model");
  EXPECT_LE(tokenizer.vocab_size(), 400);
  EXPECT_EQ(tokenizer.end_of_document(), 2);
  // Text the tokenizer never saw, with characters outside its vocabulary (byte fallback).
  const std::string unseen =
      kMultilingual + "Новый текст: 日本語 and 🦀 🧪\n\n  end  ";
  write_file(dir / "unseen.txt", unseen);
  const std::string bytes = read_file(dir / "unseen.txt");
  std::vector<int32_t> ids;
  tokenizer.encode(bytes, ids);
  EXPECT_LT(ids.size(), bytes.size());  // learnt pieces are longer than a byte
  for (const int32_t id : ids) EXPECT_NE(id, 0) << "no <unk>: byte fallback covers every byte";
  EXPECT_EQ(tokenizer.decode(ids), bytes);
}

INSTANTIATE_TEST_SUITE_P(Types, TrainedSentencePiece, ::testing::Values("bpe", "unigram"));

TEST(TokenizerTraining, LearnsFromAFixedUniformSampleOfAManyLinedCorpus) {
  const auto dir = fresh_dir("tokenizer_sample");
  write_file(dir / "corpus.txt", training_text());
  TokenizerTraining options;
  options.vocab_size = 400;
  options.threads = 1;
  options.max_lines = 150;
  const auto first = train_sentencepiece({dir / "corpus.txt"}, options, dir / "a.model");
  EXPECT_EQ(first.sentences, 150);
  EXPECT_GT(first.lines_seen, 150);  // ~95% of 200 paragraphs x 5 lines are training lines
  EXPECT_LT(first.lines_seen, 1000);
  train_sentencepiece({dir / "corpus.txt"}, options, dir / "b.model");
  EXPECT_EQ(read_file(dir / "a.model"), read_file(dir / "b.model")) << "same sample, same model";
}

TEST(TokenizerTraining, RefusesBadSettingsAndNamesTheSetting) {
  const auto dir = fresh_dir("tokenizer_errors");
  write_file(dir / "c.txt", "some text");
  TokenizerTraining options;
  options.type = "wordpiece";
  EXPECT_EQ(error_message([&] { train_sentencepiece({dir / "c.txt"}, options, dir / "t.model"); }),
            "--type: expected bpe or unigram (got 'wordpiece')");
  options.type = "bpe";
  options.vocab_size = 100;
  EXPECT_NE(error_message([&] {
              train_sentencepiece({dir / "c.txt"}, options, dir / "t.model");
            }).find("--vocab: must be from 260"),
            std::string::npos);
  EXPECT_NE(error_message([&] {
              SentencePieceTokenizer bad(dir / "c.txt");
            }).find("is not a SentencePiece model"),
            std::string::npos);
}

}  // namespace
}  // namespace emlab::text
