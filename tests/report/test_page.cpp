// The report page as text: the embedded libraries are the pinned builds, the data can hold any
// string without ending its <script> element, and the page carries every script inline.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

#include "report/assets.hpp"
#include "report/page.hpp"
#include "support/dom_query.hpp"
#include "support/error_message.hpp"

namespace emlab::report {
namespace {

using emlab::testing::count_occurrences;

TEST(ReportAssets, EmbedsTheBrowserBuildsAndTheirVersions) {
  // The UMD builds define the globals report.js uses: vega, vegaLite, vegaEmbed.
  EXPECT_GT(vega_js().size(), 100'000u);
  EXPECT_NE(vega_js().find(".vega={}"), std::string_view::npos);
  EXPECT_NE(vega_lite_js().find(".vegaLite={}"), std::string_view::npos);
  EXPECT_NE(vega_embed_js().find(".vegaEmbed="), std::string_view::npos);
  EXPECT_NE(report_js().find("vegaEmbed("), std::string_view::npos);
  EXPECT_NE(report_css().find(".chart"), std::string_view::npos);
  const LibraryVersions versions = library_versions();
  EXPECT_TRUE(versions.vega.starts_with("6.")) << versions.vega;
  EXPECT_TRUE(versions.vega_lite.starts_with("6.")) << versions.vega_lite;
  EXPECT_TRUE(versions.vega_embed.starts_with("7.")) << versions.vega_embed;
  // vega-lite announces its own version in its build.
  EXPECT_NE(vega_lite_js().find(fmt::format("\"{}\"", versions.vega_lite)), std::string_view::npos);
}

TEST(ReportPage, DataCannotCloseItsScriptElement) {
  const nlohmann::json data = {{"title", "</script><script>alert(1)</script><!--"}};
  const std::string text = script_json(data);
  EXPECT_EQ(text.find('<'), std::string::npos) << text;
  EXPECT_EQ(nlohmann::json::parse(text), data);  // the same data once parsed
}

TEST(ReportPage, HasEveryScriptInlineAndTheTitleEscaped) {
  const std::string page =
      render_page({{"title", "Loss & <accuracy>"}, {"sections", nlohmann::json::array()}});
  EXPECT_TRUE(page.starts_with("<!DOCTYPE html>"));
  EXPECT_NE(page.find("<title>Loss &amp; &lt;accuracy&gt;</title>"), std::string::npos);
  EXPECT_EQ(count_occurrences(page, "<script"), 5u);  // data + vega, vega-lite, vega-embed, ours
  EXPECT_EQ(count_occurrences(page, "</script>"), 5u);
  EXPECT_EQ(page.find("<script src"), std::string::npos);  // nothing loaded from elsewhere
  EXPECT_EQ(page.find("<link"), std::string::npos);
  EXPECT_NE(page.find(fmt::format("Vega {},", library_versions().vega)), std::string::npos);
}

TEST(ReportPage, RefusesDataThatIsNotAnObject) {
  const std::string message =
      emlab::testing::error_message([] { render_page(nlohmann::json::array()); });
  EXPECT_NE(message.find("must be a JSON object"), std::string::npos) << message;
}

}  // namespace
}  // namespace emlab::report
