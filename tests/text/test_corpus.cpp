// Reading corpora: files and folders, plain text split at blank lines, JSON Lines, gzip, and the
// errors a user meets (with the file, line and what was expected).
#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "support/error_message.hpp"
#include "text/corpus.hpp"
#include "text_files.hpp"

namespace emlab::text {
namespace {

using testing::error_message;
using Documents = std::vector<std::pair<std::string, int64_t>>;  // text, first line

Documents documents_of(const CorpusOptions& options) {
  Documents out;
  for (const CorpusFile& file : list_corpus_files(options)) {
    const std::string content = read_corpus_file(file);
    visit_documents(file, content, options.text_field, [&](std::string_view text, int64_t line) {
      out.emplace_back(std::string(text), line);
    });
  }
  return out;
}

TEST(Corpus, PlainTextSplitsAtBlankLinesAndKeepsLineBreaksInsideAParagraph) {
  const auto dir = fresh_dir("paragraphs");
  write_file(dir / "a.txt", "\n\nFirst line\nsecond line\n\n  \t\nNext  paragraph\n\n\nLast");
  const Documents expected = {{"First line\nsecond line", 3}, {"Next  paragraph", 7}, {"Last", 10}};
  EXPECT_EQ(documents_of({dir / "a.txt"}), expected);
}

TEST(Corpus, JsonLinesGiveOneDocumentPerLineFromTheNamedField) {
  const auto dir = fresh_dir("jsonl");
  write_file(dir / "d.jsonl",
             "{\"text\": \"one\\n\\ntwo\", \"id\": 1}\n\n{\"body\": \"x\", \"text\": \"three\"}\n"
             "{\"text\": \"\"}\n");
  const Documents expected = {{"one\n\ntwo", 1}, {"three", 3}};
  EXPECT_EQ(documents_of({dir / "d.jsonl"}), expected);
  const Documents body = {{"x", 1}};
  write_file(dir / "e.jsonl", "{\"body\": \"x\"}\n");
  EXPECT_EQ(documents_of({dir / "e.jsonl", "body"}), body);
}

TEST(Corpus, FoldersAreReadRecursivelyInSortedOrderAndGzipIsDecompressed) {
  const auto dir = fresh_dir("folder");
  write_file(dir / "b.txt", "B");
  write_gzip(dir / "a" / "z.jsonl.gz", "{\"text\": \"AZ\"}\n");
  write_gzip(dir / "c.txt.gz", "C1\n\nC2");
  write_file(dir / "README.md", "not a corpus file");
  write_file(dir / ".hidden" / "h.txt", "hidden");
  write_file(dir / "a" / "y.txt", "AY");
  const auto files = list_corpus_files({dir});
  ASSERT_EQ(files.size(), 4u);
  EXPECT_EQ(files[0].name, "a/y.txt");
  EXPECT_EQ(files[1].name, "a/z.jsonl.gz");
  EXPECT_TRUE(files[1].gzip);
  EXPECT_EQ(files[1].format, FileFormat::json_lines);
  const Documents expected = {{"AY", 1}, {"AZ", 1}, {"B", 1}, {"C1", 1}, {"C2", 3}};
  EXPECT_EQ(documents_of({dir}), expected);
}

TEST(Corpus, ErrorsNameTheFileTheLineAndWhatWasExpected) {
  const auto dir = fresh_dir("errors");
  EXPECT_EQ(error_message([&] { list_corpus_files({dir / "missing"}); }),
            "data.corpus: " + (dir / "missing").string() + " does not exist");
  write_file(dir / "empty" / "notes.md", "x");
  EXPECT_EQ(error_message([&] { list_corpus_files({dir / "empty"}); }),
            "data.corpus: " + (dir / "empty").string() +
                ": the folder holds no .txt or .jsonl files (nor .gz)");
  write_file(dir / "x.csv", "a,b");
  EXPECT_NE(error_message([&] {
              list_corpus_files({dir / "x.csv"});
            }).find("expected a .txt or .jsonl file"),
            std::string::npos);

  write_file(dir / "latin1.txt", "ok\ncaf\xe9\n");
  const std::string latin1 = error_message([&] { documents_of({dir / "latin1.txt"}); });
  EXPECT_EQ(
      latin1.find((dir / "latin1.txt").string() + ":2: not UTF-8 text (byte 0xe9 at offset 6)"), 0u)
      << latin1;

  write_file(dir / "missing_field.jsonl", "{\"text\": \"a\"}\n{\"content\": \"b\"}\n");
  EXPECT_EQ(error_message([&] { documents_of({dir / "missing_field.jsonl"}); }),
            (dir / "missing_field.jsonl").string() +
                ":2: expected a JSON object with a string field \"text\" (data.text_field)");
  write_file(dir / "broken.jsonl", "{\"text\": \"a\"}\n\n{\"text\": \n");
  EXPECT_EQ(error_message([&] {
              documents_of({dir / "broken.jsonl"});
            }).find((dir / "broken.jsonl").string() + ":3: not a JSON value"),
            0u);

  write_file(dir / "fake.txt.gz", "not gzip at all, but zlib reads it through");
  EXPECT_EQ(documents_of({dir / "fake.txt.gz"}).size(), 1u);  // zlib passes plain bytes through
  write_gzip(dir / "cut.txt.gz", std::string(5000, 'x'));
  const std::string gz = read_file(dir / "cut.txt.gz");
  write_file(dir / "cut.txt.gz", gz.substr(0, gz.size() / 2));
  EXPECT_NE(error_message([&] { documents_of({dir / "cut.txt.gz"}); }).find("not a readable gzip"),
            std::string::npos);
}

}  // namespace
}  // namespace emlab::text
