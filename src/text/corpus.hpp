#pragma once
// A text corpus on disk: one file or a folder of them (read recursively, in sorted order), each
// plain text (.txt) or JSON Lines (.jsonl), either of them possibly gzip-compressed (.gz).
//
// Documents: each JSONL line is one document (its text field). A plain text file is split into
// paragraphs at blank lines and each paragraph is a document, so that a single book still gives
// both a training and a validation part (the split is per document, see split.hpp) and no document
// is so long that the split's 1-in-20 becomes lumpy. A paragraph keeps its own line breaks.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace emlab::text {

struct CorpusOptions {
  std::filesystem::path path;       // a file or a folder
  std::string text_field = "text";  // the JSONL field that holds a document
};

enum class FileFormat { plain_text, json_lines };

struct CorpusFile {
  std::filesystem::path path;
  std::string name;  // relative to the corpus folder (the file name for a single file)
  FileFormat format = FileFormat::plain_text;
  bool gzip = false;
};

// The corpus's files, sorted by relative name. In a folder, files with other extensions and
// hidden entries (names starting with '.') are ignored; a single file must have one of the
// known extensions. Throws emlab::Error for a missing path or a folder without corpus files.
std::vector<CorpusFile> list_corpus_files(const CorpusOptions& options);

// The file's bytes, decompressed. Throws emlab::Error naming the file for a read or gzip error,
// and for bytes that are not UTF-8 text (with the line and offset): such a file stops the run
// instead of being skipped, so the data trained on is never silently less than the folder holds.
std::string read_corpus_file(const CorpusFile& file);

// line: 1-based line where the document starts in its file.
using DocumentVisitor = std::function<void(std::string_view text, int64_t line)>;

// Calls `visit` for each non-empty document of one file's content. Throws emlab::Error with
// file:line for a JSONL line that is not an object with a string field `text_field`.
void visit_documents(const CorpusFile& file, std::string_view content,
                     const std::string& text_field, const DocumentVisitor& visit);

}  // namespace emlab::text
