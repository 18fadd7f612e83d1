#pragma once
// Real files for the text tests: a fresh folder per test (the process id keeps parallel runs of
// the suite apart), files written byte for byte, gzip files through zlib.
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace emlab::text {

inline std::filesystem::path fresh_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("emlab_text_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline void write_file(const std::filesystem::path& path, std::string_view bytes) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline void write_gzip(const std::filesystem::path& path, std::string_view bytes) {
  std::filesystem::create_directories(path.parent_path());
  gzFile out = gzopen(path.c_str(), "wb");
  gzwrite(out, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(out);
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Text in several scripts, with multi-byte UTF-8 of every length (2: Greek, 3: Korean, 4: emoji),
// runs of spaces, tabs and line breaks that a normalising tokenizer would change.
inline const std::string kMultilingual =
    "Καλημέρα κόσμε, η γλώσσα μου έδωσαν ελληνική.\n"
    "안녕하세요 세계! 한국어 문장입니다.\n"
    "Emoji: 🙂🚀👩‍💻 and   three spaces,\ta tab, trailing space \n"
    "  leading spaces; ünïcödé ß ﬁ (a ligature NFKC would split)\n";

}  // namespace emlab::text
