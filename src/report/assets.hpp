#pragma once
// What a report page inlines so it opens offline: the browser builds of Vega, Vega-Lite and
// Vega-Embed (versions pinned in web/package-lock.json) and the page's own web/report.js and
// web/report.css, all embedded at build time (cmake/ReportAssets.cmake).
#include <string_view>

namespace emlab::report {

std::string_view vega_js();
std::string_view vega_lite_js();
std::string_view vega_embed_js();
std::string_view report_js();
std::string_view report_css();

// The embedded library versions, for the page footer.
struct LibraryVersions {
  std::string_view vega;
  std::string_view vega_lite;
  std::string_view vega_embed;
};
LibraryVersions library_versions();

}  // namespace emlab::report
