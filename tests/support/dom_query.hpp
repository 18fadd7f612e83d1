#pragma once
// Small look-ups in a DOM serialised by chromium's --dump-dom: enough to read the data-*
// attributes a page writes for its tests, without an HTML parser.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace emlab::testing {

// The opening tag (from '<' to '>') of the element with the given id, or empty.
inline std::string_view opening_tag_with_id(std::string_view dom, std::string_view id) {
  const std::string needle = " id=\"" + std::string(id) + "\"";
  const std::size_t at = dom.find(needle);
  if (at == std::string_view::npos) return {};
  const std::size_t begin = dom.rfind('<', at);
  const std::size_t end = dom.find('>', at);
  if (begin == std::string_view::npos || end == std::string_view::npos) return {};
  return dom.substr(begin, end - begin + 1);
}

// The opening tag of the first element of this name (e.g. "body"), or empty.
inline std::string_view opening_tag(std::string_view dom, std::string_view name) {
  const std::string needle = std::string("<") + std::string(name);
  for (std::size_t at = dom.find(needle); at != std::string_view::npos;
       at = dom.find(needle, at + 1)) {
    const char next = at + needle.size() < dom.size() ? dom[at + needle.size()] : '>';
    if (next == ' ' || next == '>') return dom.substr(at, dom.find('>', at) - at + 1);
  }
  return {};
}

// The value of attribute name in an opening tag (entities left as serialised), if present.
inline std::optional<std::string> attribute(std::string_view tag, std::string_view name) {
  const std::string needle = " " + std::string(name) + "=\"";
  const std::size_t at = tag.find(needle);
  if (at == std::string_view::npos) return std::nullopt;
  const std::size_t begin = at + needle.size();
  const std::size_t end = tag.find('"', begin);
  if (end == std::string_view::npos) return std::nullopt;
  return std::string(tag.substr(begin, end - begin));
}

inline std::size_t count_occurrences(std::string_view text, std::string_view needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string_view::npos;
       at = text.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

}  // namespace emlab::testing
