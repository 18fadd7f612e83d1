#include "report/page.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "core/error.hpp"
#include "report/assets.hpp"

namespace emlab::report {

std::string script_json(const nlohmann::json& data) {
  // Invalid UTF-8 in a label must not stop a report: it becomes U+FFFD.
  const std::string dumped = data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string out;
  out.reserve(dumped.size() + dumped.size() / 16);
  for (char c : dumped) {
    // `<` only occurs inside JSON strings, where \u003c is the same character.
    if (c == '<') {
      out += "\\u003c";
    } else {
      out += c;
    }
  }
  return out;
}

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

namespace {

bool contains_ignoring_case(std::string_view text, std::string_view lower_needle) {
  const auto it =
      std::search(text.begin(), text.end(), lower_needle.begin(), lower_needle.end(),
                  [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
  return it != text.end();
}

// A script inlined into a <script> element, where "</script" would end it early and "<!--"
// can change how the parser finds the end. The pinned builds contain neither (tests/report
// checks); should an update bring one, rendering fails loudly instead of writing a broken page.
void append_script(std::string& page, std::string_view name, std::string_view code) {
  for (std::string_view bad : {"</script", "<!--"}) {
    require(!contains_ignoring_case(code, bad),
            "report: {} contains \"{}\" and cannot be inlined into a <script> element", name, bad);
  }
  page += "<script>";
  page += code;
  page += "</script>\n";
}

}  // namespace

std::string render_page(const nlohmann::json& report) {
  require(report.is_object(), "report: the report data must be a JSON object, not {}",
          report.type_name());
  std::string title = "emlab report";
  if (auto it = report.find("title"); it != report.end() && it->is_string()) {
    title = it->get<std::string>();
  }
  const LibraryVersions versions = library_versions();

  std::string page;
  page.reserve(vega_js().size() + vega_lite_js().size() + vega_embed_js().size() + (1 << 16));
  page += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  page += "<meta name=\"generator\" content=\"emlab\">\n";
  page += fmt::format("<title>{}</title>\n", escape_html(title));
  page += "<style>\n";
  page += report_css();
  page += "</style>\n</head>\n<body>\n";
  // report.js replaces the placeholder; without JavaScript the reader learns why nothing shows.
  page += "<main id=\"report\"><p>Loading the report&hellip;</p>";
  page += "<noscript><p>This report needs JavaScript to draw its charts and tables.</p></noscript>";
  page += "</main>\n";
  page += fmt::format(
      "<footer class=\"page-footer\">Written by emlab. Charts: Vega {}, Vega-Lite {}, "
      "Vega-Embed {}, included in this file.</footer>\n",
      escape_html(versions.vega), escape_html(versions.vega_lite),
      escape_html(versions.vega_embed));
  page += "<script type=\"application/json\" id=\"emlab-data\">";
  page += script_json(report);
  page += "</script>\n";
  append_script(page, "vega.min.js", vega_js());
  append_script(page, "vega-lite.min.js", vega_lite_js());
  append_script(page, "vega-embed.min.js", vega_embed_js());
  append_script(page, "report.js", report_js());
  page += "</body>\n</html>\n";
  return page;
}

}  // namespace emlab::report
