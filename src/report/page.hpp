#pragma once
// One report as a single self-contained HTML file: styles, data and the chart libraries inline,
// so it opens offline from disk and can be mailed or archived as one file.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace emlab::report {

// report is the object web/report.js reads:
//   {title, generated, sections: [{id, title, text, charts: [{id, title, spec, note}],
//                                  tables: [{title, columns, rows}], missing}]}
// Section text is HTML written by emlab; every other string is shown as plain text.
std::string render_page(const nlohmann::json& report);

// The data as the content of a <script type="application/json"> element: every `<` becomes
// \u003c, so no string in it can close the element ("</script>") or open a comment ("<!--").
std::string script_json(const nlohmann::json& data);

// Text escaped for HTML element content and attribute values.
std::string escape_html(std::string_view text);

}  // namespace emlab::report
