#include "text/corpus.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "text/utf8.hpp"

namespace emlab::text {

namespace fs = std::filesystem;

namespace {

// Whether `name` is a corpus file, and which: x.txt, x.jsonl, x.txt.gz, x.jsonl.gz.
bool classify(const std::string& name, CorpusFile& file) {
  std::string_view stem = name;
  file.gzip = stem.ends_with(".gz");
  if (file.gzip) stem.remove_suffix(3);
  if (stem.ends_with(".txt")) {
    file.format = FileFormat::plain_text;
    return true;
  }
  if (stem.ends_with(".jsonl")) {
    file.format = FileFormat::json_lines;
    return true;
  }
  return false;
}

bool hidden(const fs::path& relative) {
  return std::any_of(relative.begin(), relative.end(),
                     [](const fs::path& part) { return part.string().starts_with("."); });
}

std::string read_plain(const fs::path& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  require(static_cast<bool>(in), "{}: cannot open the corpus file", path.string());
  std::string bytes(static_cast<size_t>(in.tellg()), '\0');
  in.seekg(0);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  require(static_cast<bool>(in), "{}: read error", path.string());
  return bytes;
}

std::string read_gzip(const fs::path& path) {
  const std::unique_ptr<gzFile_s, decltype(&gzclose)> in(gzopen(path.c_str(), "rb"), gzclose);
  require(in != nullptr, "{}: cannot open the corpus file", path.string());
  std::string bytes;
  std::array<char, 1 << 16> buffer{};
  int got = 0;
  while ((got = gzread(in.get(), buffer.data(), static_cast<unsigned>(buffer.size()))) > 0)
    bytes.append(buffer.data(), static_cast<size_t>(got));
  // A stream cut short reads to its end without a negative count: only gzerror tells.
  int code = Z_OK;
  const char* message = gzerror(in.get(), &code);
  require(got == 0 && code == Z_OK, "{}: not a readable gzip file ({})", path.string(), message);
  return bytes;
}

int64_t line_of(std::string_view content, size_t offset) {
  return 1 + std::count(content.begin(), content.begin() + static_cast<ptrdiff_t>(offset), '\n');
}

bool blank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

void visit_paragraphs(std::string_view content, const DocumentVisitor& visit) {
  size_t start = std::string_view::npos;  // first byte of the paragraph being read
  int64_t start_line = 0, line = 0;
  size_t end = 0;  // one past its last non-blank line (without that line's '\n')
  for (size_t pos = 0; pos <= content.size();) {
    const size_t newline = std::min(content.find('\n', pos), content.size());
    const std::string_view text = content.substr(pos, newline - pos);
    ++line;
    if (!blank(text)) {
      if (start == std::string_view::npos) {
        start = pos;
        start_line = line;
      }
      end = newline;
    } else if (start != std::string_view::npos) {
      visit(content.substr(start, end - start), start_line);
      start = std::string_view::npos;
    }
    pos = newline + 1;
  }
  if (start != std::string_view::npos) visit(content.substr(start, end - start), start_line);
}

void visit_json_lines(const CorpusFile& file, std::string_view content,
                      const std::string& text_field, const DocumentVisitor& visit) {
  int64_t line = 0;
  for (size_t pos = 0; pos < content.size();) {
    const size_t newline = std::min(content.find('\n', pos), content.size());
    const std::string_view text = content.substr(pos, newline - pos);
    pos = newline + 1;
    ++line;
    if (blank(text)) continue;
    nlohmann::json record;
    try {
      record = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
      fail("{}:{}: not a JSON value ({})", file.path.string(), line, e.what());
    }
    const auto field = record.is_object() ? record.find(text_field) : record.end();
    require(record.is_object() && field != record.end() && field->is_string(),
            "{}:{}: expected a JSON object with a string field \"{}\" (data.text_field)",
            file.path.string(), line, text_field);
    const auto& document = field->get_ref<const std::string&>();
    if (!document.empty()) visit(document, line);
  }
}

}  // namespace

std::vector<CorpusFile> list_corpus_files(const CorpusOptions& options) {
  const fs::path& root = options.path;
  std::error_code error;
  const auto status = fs::status(root, error);
  require(fs::exists(status), "data.corpus: {} does not exist", root.string());
  std::vector<CorpusFile> files;
  if (!fs::is_directory(status)) {
    CorpusFile file{root, root.filename().string()};
    require(classify(file.name, file),
            "data.corpus: {}: expected a .txt or .jsonl file (or either with .gz), or a folder",
            root.string());
    files.push_back(std::move(file));
    return files;
  }
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    const fs::path relative = entry.path().lexically_relative(root);
    if (!entry.is_regular_file() || hidden(relative)) continue;
    CorpusFile file{entry.path(), relative.generic_string()};
    if (classify(file.name, file)) files.push_back(std::move(file));
  }
  require(!files.empty(), "data.corpus: {}: the folder holds no .txt or .jsonl files (nor .gz)",
          root.string());
  std::sort(files.begin(), files.end(),
            [](const CorpusFile& a, const CorpusFile& b) { return a.name < b.name; });
  return files;
}

std::string read_corpus_file(const CorpusFile& file) {
  std::string bytes = file.gzip ? read_gzip(file.path) : read_plain(file.path);
  if (const auto bad = first_invalid_utf8(bytes)) {
    fail(
        "{}:{}: not UTF-8 text (byte 0x{:02x} at offset {}); a corpus holds only UTF-8 text "
        "files: convert it (e.g. iconv -t UTF-8) or move it out of the corpus",
        file.path.string(), line_of(bytes, *bad), static_cast<unsigned char>(bytes[*bad]), *bad);
  }
  return bytes;
}

void visit_documents(const CorpusFile& file, std::string_view content,
                     const std::string& text_field, const DocumentVisitor& visit) {
  if (file.format == FileFormat::json_lines)
    visit_json_lines(file, content, text_field, visit);
  else
    visit_paragraphs(content, visit);
}

}  // namespace emlab::text
