#pragma once
// A file compiled into the program: cmake/EmbedFiles.cmake writes its bytes as string literal
// chunks (one literal per file would be too long for -Wpedantic) and defines the objects below.
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace emlab::report {

struct EmbeddedFile {
  std::span<const std::string_view> chunks;
  std::size_t size = 0;

  std::string text() const {
    std::string out;
    out.reserve(size);
    for (std::string_view chunk : chunks) out.append(chunk);
    return out;
  }
};

// Defined in the generated report_assets_data.cpp (cmake/ReportAssets.cmake).
namespace embedded {
extern const EmbeddedFile vega_js;
extern const EmbeddedFile vega_lite_js;
extern const EmbeddedFile vega_embed_js;
extern const EmbeddedFile report_js;
extern const EmbeddedFile report_css;
}  // namespace embedded

}  // namespace emlab::report
