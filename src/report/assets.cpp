#include "report/assets.hpp"

#include <string>

#include "report/embedded_file.hpp"

namespace emlab::report {

// Each text is joined from its chunks on first use and kept for the life of the program.
std::string_view vega_js() {
  static const std::string text = embedded::vega_js.text();
  return text;
}

std::string_view vega_lite_js() {
  static const std::string text = embedded::vega_lite_js.text();
  return text;
}

std::string_view vega_embed_js() {
  static const std::string text = embedded::vega_embed_js.text();
  return text;
}

std::string_view report_js() {
  static const std::string text = embedded::report_js.text();
  return text;
}

std::string_view report_css() {
  static const std::string text = embedded::report_css.text();
  return text;
}

// Read from web/package-lock.json at configure time (cmake/ReportAssets.cmake).
LibraryVersions library_versions() {
  return {EMLAB_VEGA_VERSION, EMLAB_VEGA_LITE_VERSION, EMLAB_VEGA_EMBED_VERSION};
}

}  // namespace emlab::report
