// The token file: written and read back in both widths, damaged files refused, and the cache that
// reuses a good file, rebuilds a truncated one and follows any change of corpus or tokenizer.
#include <gtest/gtest.h>

#include "support/error_message.hpp"
#include "text/byte_tokenizer.hpp"
#include "text/split.hpp"
#include "text/token_cache.hpp"
#include "text/token_file.hpp"
#include "text_files.hpp"

namespace emlab::text {
namespace {

using testing::error_message;

TokenFileContents small_contents(uint32_t vocab) {
  TokenFileContents c;
  c.vocab_size = vocab;
  c.end_of_document = 0;
  c.tokenizer_sha256 = std::string(64, 'a');
  c.corpus_sha256 = std::string(64, 'b');
  c.documents = 3;
  c.validation_documents = 1;
  c.train = {5, 6, 0, static_cast<int32_t>(vocab - 1), 0};
  c.validation = {7, 0};
  return c;
}

std::vector<int32_t> part_of(const TokenFile& file, Part part) {
  std::vector<int32_t> out(file.size(part));
  file.copy(part, 0, out.size(), out.data());
  return out;
}

TEST(TokenFile, RoundTripsInTwoAndFourByteWidths) {
  const auto dir = fresh_dir("token_file");
  for (const uint32_t vocab : {257u, 65536u, 65537u, 100000u}) {
    const auto path = dir / fmt::format("v{}.tokens", vocab);
    const TokenFileContents c = small_contents(vocab);
    write_token_file(path, c);
    const TokenFile file(path);
    const uint32_t width = vocab <= 65536 ? 2 : 4;
    EXPECT_EQ(file.header().token_bytes, width);
    EXPECT_EQ(std::filesystem::file_size(path), 192 + 7 * width);
    EXPECT_EQ(part_of(file, Part::train), c.train);
    EXPECT_EQ(part_of(file, Part::validation), c.validation);
    EXPECT_EQ(file.header().documents, 3u);
    EXPECT_EQ(file.tokenizer_sha256(), c.tokenizer_sha256);
  }
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), {}), 4)
      << "no temporary file is left behind";
}

TEST(TokenFile, RefusesTruncatedOrDamagedFilesNamingThem) {
  const auto dir = fresh_dir("token_file_damage");
  const auto path = dir / "t.tokens";
  write_token_file(path, small_contents(300));
  const std::string good = read_file(path);

  write_file(path, good.substr(0, good.size() - 1));
  EXPECT_NE(error_message([&] { TokenFile f(path); }).find("(truncated or damaged)"),
            std::string::npos);
  write_file(path, good.substr(0, 100));
  EXPECT_EQ(
      error_message([&] { TokenFile f(path); }),
      path.string() + ": too short for a token file header (100 bytes, expected at least 192)");
  std::string bad_magic = good;
  bad_magic[0] = 'X';
  write_file(path, bad_magic);
  EXPECT_EQ(error_message([&] { TokenFile f(path); }),
            path.string() + ": not an emlab token file (no EMLABTOK magic)");
  std::string bad_id = good;
  bad_id[192] = static_cast<char>(0xff);  // first training token: 0x01ff = 511 >= 300
  bad_id[193] = 0x01;
  write_file(path, bad_id);
  EXPECT_EQ(error_message([&] { TokenFile f(path); }),
            path.string() + ": token 0 is 511, outside the vocabulary of 300");
}

// A corpus whose documents fall on both sides of the split: numbered paragraphs.
std::string paragraphs(int count, const std::string& word) {
  std::string text;
  for (int i = 0; i < count; ++i) text += word + " number " + std::to_string(i) + ".\n\n";
  return text;
}

TEST(TokenCache, BuildsOnceReusesAndRebuildsOnAnyChange) {
  const auto dir = fresh_dir("token_cache");
  const CorpusOptions corpus{dir / "corpus"};
  write_file(dir / "corpus" / "a.txt", paragraphs(100, "Alpha"));
  write_file(dir / "corpus" / "b.txt", paragraphs(100, "Beta"));
  const ByteTokenizer bytes;
  const auto first = prepare_token_file(corpus, bytes, dir / "cache");
  const auto built = std::filesystem::last_write_time(first->path());
  EXPECT_EQ(first->header().documents, 200u);
  EXPECT_GT(first->header().validation_documents, 0u);
  EXPECT_LT(first->header().validation_documents, 30u);
  EXPECT_EQ(first->size(Part::train) + first->size(Part::validation),
            paragraphs(100, "Alpha").size() + paragraphs(100, "Beta").size() - 2 * 200 + 200)
      << "each paragraph's bytes without the blank line, plus one end-of-document token";

  const auto again = prepare_token_file(corpus, bytes, dir / "cache");
  EXPECT_EQ(again->path(), first->path());
  EXPECT_EQ(std::filesystem::last_write_time(again->path()), built) << "reused, not rewritten";

  // A kill or a full disk can leave a short file only outside the rename; still, one is rebuilt.
  const std::string whole = read_file(first->path());
  write_file(first->path(), whole.substr(0, whole.size() / 2));
  const auto rebuilt = prepare_token_file(corpus, bytes, dir / "cache");
  EXPECT_EQ(read_file(rebuilt->path()), whole);

  write_file(dir / "corpus" / "b.txt", paragraphs(100, "Gamma"));
  const auto changed = prepare_token_file(corpus, bytes, dir / "cache");
  EXPECT_NE(changed->path(), first->path());
  EXPECT_NE(changed->corpus_sha256(), first->corpus_sha256());
}

TEST(TokenCache, TheSplitDoesNotDependOnFileOrderOrNames) {
  const auto dir = fresh_dir("token_split");
  const ByteTokenizer bytes;
  write_file(dir / "one" / "a.txt", paragraphs(60, "Alpha"));
  write_file(dir / "one" / "b.txt", paragraphs(60, "Beta"));
  write_file(dir / "two" / "0.txt", paragraphs(60, "Beta"));
  write_file(dir / "two" / "1.txt", paragraphs(60, "Alpha"));
  const auto one = tokenize_corpus({dir / "one"}, bytes, std::string(64, '0'));
  const auto two = tokenize_corpus({dir / "two"}, bytes, std::string(64, '0'));
  EXPECT_EQ(one.validation_documents, two.validation_documents);
  EXPECT_EQ(one.train.size(), two.train.size());
  EXPECT_EQ(one.validation.size(), two.validation.size());
  // About 1 in 20 of many documents is held out.
  int held_out = 0;
  for (int i = 0; i < 20000; ++i) held_out += is_validation_document(std::to_string(i)) ? 1 : 0;
  EXPECT_NEAR(held_out, 1000, 120);
}

TEST(TokenCache, EmptyCorpusAndForeignTokenizerAreClearErrors) {
  const auto dir = fresh_dir("token_cache_errors");
  write_file(dir / "blank.txt", "\n \n\t\n");
  const ByteTokenizer bytes;
  EXPECT_EQ(error_message([&] { prepare_token_file({dir / "blank.txt"}, bytes, dir / "cache"); }),
            "data.corpus: " + (dir / "blank.txt").string() +
                " holds no text (every file is empty or blank)");
  const auto path = dir / "foreign.tokens";
  write_token_file(path, small_contents(257));
  const TokenFile foreign(path);
  EXPECT_NE(error_message([&] {
              require_same_tokenizer(foreign, bytes);
            }).find("made with another tokenizer"),
            std::string::npos);
}

}  // namespace
}  // namespace emlab::text
