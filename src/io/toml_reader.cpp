#include "io/toml_reader.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <sstream>

#include "core/error.hpp"

namespace emlab::io {

TomlSection::TomlSection(const toml::table* table, std::string section, std::string source)
    : table_(table), section_(std::move(section)), source_(std::move(source)) {}

const toml::node* TomlSection::find(const char* key) {
  read_.insert(key);
  return table_ != nullptr ? table_->get(key) : nullptr;
}

std::string TomlSection::where(const toml::node& node, const char* key) const {
  const auto& begin = node.source().begin;
  if (begin.line > 0) return fmt::format("{}:{}: {}.{}", source_, begin.line, section_, key);
  return fmt::format("{}: {}.{}", source_, section_, key);
}

void TomlSection::wrong_type(const toml::node& node, const char* key, const char* expected) const {
  std::ostringstream value, type;
  node.visit([&](auto&& n) { value << n; });
  type << node.type();
  fail("{}: expected {}, got {} {}", where(node, key), expected, type.str(), value.str());
}

void TomlSection::read(const char* key, int64_t& out) {
  const toml::node* node = find(key);
  if (node == nullptr) return;
  // Ask for an integer only from an integer node: toml++ converts a float such as 7e64 to int64
  // without a range check (undefined behaviour, found by fuzzing).
  if (!node->is_integer()) wrong_type(*node, key, "an integer");
  out = *node->value<int64_t>();
}

void TomlSection::read(const char* key, int& out) {
  int64_t wide = out;
  read(key, wide);
  if (wide < std::numeric_limits<int>::min() || wide > std::numeric_limits<int>::max())
    fail("{}: {} is out of range for a 32-bit integer", where(*table_->get(key), key), wide);
  out = static_cast<int>(wide);
}

void TomlSection::read(const char* key, uint64_t& out) {
  int64_t wide = static_cast<int64_t>(out);
  read(key, wide);
  if (wide < 0) fail("{}: must not be negative (got {})", where(*table_->get(key), key), wide);
  out = static_cast<uint64_t>(wide);
}

namespace {
// A TOML number as a double. toml++ refuses value<double>() for an integer that a double cannot
// hold exactly (6111111111111111111, found by fuzzing): take the nearest double instead.
double number_value(const toml::node& node) {
  if (node.is_integer()) return static_cast<double>(*node.value<int64_t>());
  return *node.value<double>();
}
}  // namespace

void TomlSection::read(const char* key, double& out) {
  const toml::node* node = find(key);
  if (node == nullptr) return;
  if (!node->is_number()) wrong_type(*node, key, "a number");
  out = number_value(*node);
}

void TomlSection::read(const char* key, float& out) {
  double wide = out;
  read(key, wide);
  if (std::isfinite(wide) && std::abs(wide) > std::numeric_limits<float>::max())
    fail("{}: {} is out of range for a 32-bit float", where(*table_->get(key), key), wide);
  out = static_cast<float>(wide);
}

void TomlSection::read(const char* key, bool& out) {
  const toml::node* node = find(key);
  if (node == nullptr) return;
  if (!node->is_boolean()) wrong_type(*node, key, "true or false");
  out = node->value<bool>().value();
}

void TomlSection::read(const char* key, std::string& out) {
  const toml::node* node = find(key);
  if (node == nullptr) return;
  if (!node->is_string()) wrong_type(*node, key, "a string");
  out = node->value<std::string>().value();
}

void TomlSection::read(const char* key, std::vector<std::string>& out) {
  const toml::node* node = find(key);
  if (node == nullptr) return;
  const toml::array* array = node->as_array();
  if (array == nullptr) wrong_type(*node, key, "an array of strings");
  out.clear();
  for (const toml::node& item : *array) {
    if (!item.is_string()) wrong_type(item, key, "an array of strings");
    out.push_back(item.value<std::string>().value());
  }
}

void TomlSection::read(const char* key, std::vector<double>& out) {
  const toml::node* node = find(key);
  if (node == nullptr) return;
  const toml::array* array = node->as_array();
  if (array == nullptr) wrong_type(*node, key, "an array of numbers");
  out.clear();
  for (const toml::node& item : *array) {
    if (!item.is_number()) wrong_type(item, key, "an array of numbers");
    out.push_back(number_value(item));
  }
}

const toml::node* TomlSection::raw(const char* key) {
  return find(key);
}

void TomlSection::invalid(const char* key, const std::string& message) const {
  const toml::node* node = table_ != nullptr ? table_->get(key) : nullptr;
  if (node == nullptr) fail("{}: {}.{}: {}", source_, section_, key, message);
  fail("{}: {}", where(*node, key), message);
}

void TomlSection::reject_unknown_keys() const {
  if (table_ == nullptr) return;
  for (const auto& [key, node] : *table_) {
    if (read_.count(std::string(key.str())) == 0) {
      std::string known;
      for (const auto& k : read_) known += (known.empty() ? "" : ", ") + k;
      fail("{}: unknown key (known keys in [{}]: {})", where(node, std::string(key.str()).c_str()),
           section_, known);
    }
  }
}

namespace {
std::string describe_parse_error(const toml::parse_error& e, const std::string& source) {
  return fmt::format("{}:{}:{}: invalid TOML: {}", source, e.source().begin.line,
                     e.source().begin.column, e.description());
}
}  // namespace

toml::table parse_toml_file(const std::string& path) {
  try {
    return toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    if (e.source().begin.line == 0) fail("{}: cannot read the file: {}", path, e.description());
    throw Error(describe_parse_error(e, path));
  }
}

toml::table parse_toml_text(const std::string& text, const std::string& source_name) {
  try {
    return toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    throw Error(describe_parse_error(e, source_name));
  }
}

void apply_override(toml::table& root, const std::string& assignment) {
  const auto eq = assignment.find('=');
  const auto dot = assignment.find('.');
  require(eq != std::string::npos && dot != std::string::npos && dot < eq,
          "--set {}: expected section.key=value (for example model.width=128)", assignment);
  const std::string section = assignment.substr(0, dot);
  const std::string key = assignment.substr(dot + 1, eq - dot - 1);
  const std::string value = assignment.substr(eq + 1);
  require(!section.empty() && !key.empty() && key.find('.') == std::string::npos,
          "--set {}: expected section.key=value", assignment);
  toml::table parsed;
  try {
    parsed = toml::parse("v = " + value);
  } catch (const toml::parse_error&) {
    parsed.insert_or_assign("v", value);  // a bare word: take it as a string
  }
  if (!root.contains(section)) root.insert(section, toml::table{});
  toml::table* table = root[section].as_table();
  require(table != nullptr, "--set {}: '{}' is not a table in the config", assignment, section);
  table->insert_or_assign(key, *parsed.get("v"));
}

void reject_unknown_sections(const toml::table& root, const std::set<std::string>& allowed,
                             const std::string& source) {
  for (const auto& [key, node] : root) {
    const std::string name(key.str());
    if (allowed.count(name) != 0 && node.is_table()) continue;
    std::string known;
    for (const auto& k : allowed) known += (known.empty() ? "[" : ", [") + k + "]";
    const auto line = node.source().begin.line;
    fail("{}{}: unknown {} '{}' (expected the tables {})", source,
         line > 0 ? fmt::format(":{}", line) : "", node.is_table() ? "table" : "top-level key",
         name, known);
  }
}

}  // namespace emlab::io
