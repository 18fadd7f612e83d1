#pragma once
// Reads typed values from one table of a TOML document, and refuses keys it did not read: a
// misspelt key is an error naming the file, line and key, never silently ignored.
#include <toml++/toml.h>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace emlab::io {

class TomlSection {
 public:
  // `section` is the table's dotted name ("model"), `source` the file name for messages.
  TomlSection(const toml::table* table, std::string section, std::string source);

  void read(const char* key, int& out);
  void read(const char* key, int64_t& out);
  void read(const char* key, uint64_t& out);
  void read(const char* key, float& out);
  void read(const char* key, double& out);
  void read(const char* key, bool& out);
  void read(const char* key, std::string& out);
  void read(const char* key, std::vector<std::string>& out);
  void read(const char* key, std::vector<double>& out);

  // Throws emlab::Error for the first key present in the table but never read.
  void reject_unknown_keys() const;

  // The raw node (marked as read), for values the typed readers do not cover; null when absent.
  const toml::node* raw(const char* key);
  // Throws emlab::Error "FILE:LINE: section.key: message" at the key's position.
  [[noreturn]] void invalid(const char* key, const std::string& message) const;
  const std::string& source() const { return source_; }

 private:
  const toml::node* find(const char* key);
  std::string where(const toml::node& node, const char* key) const;
  [[noreturn]] void wrong_type(const toml::node& node, const char* key, const char* expected) const;

  const toml::table* table_;
  std::string section_, source_;
  std::set<std::string> read_;
};

// Parses a TOML file (or text), throwing emlab::Error "FILE:LINE:COLUMN: message" on syntax errors.
toml::table parse_toml_file(const std::string& path);
toml::table parse_toml_text(const std::string& text, const std::string& source_name);

// Applies "section.key=value" overrides; the value is read as TOML, or as a string when it is not
// valid TOML on its own (so --set data.task=copy needs no quotes).
void apply_override(toml::table& root, const std::string& assignment);

// Throws emlab::Error for top-level tables other than the allowed ones.
void reject_unknown_sections(const toml::table& root, const std::set<std::string>& allowed,
                             const std::string& source);

}  // namespace emlab::io
