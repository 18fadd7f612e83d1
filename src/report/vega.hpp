#pragma once
// Small builders for the Vega-Lite specs of the report, so every chart shares the same look and
// interactions: tooltips, a hover that highlights one run across its marks, log-scale toggles.
#include <nlohmann/json.hpp>
#include <string>

namespace emlab::report {

// A number for a chart's data: NaN and infinities become null (missing), as JSON requires.
nlohmann::json number(double v);

// {"type": ..., "title": ..., "scale": {"type": "log"}} etc.
nlohmann::json axis_field(const std::string& field, const std::string& type,
                          const std::string& title, bool log = false);

// A log axis of a count (parameters, tokens, FLOPs, steps) labelled with SI prefixes (10k, 1M, 1G).
nlohmann::json count_axis(const std::string& field, const std::string& title);

// A score axis over [0, 1] (observed and forecast scores drawn against each other).
nlohmann::json score_axis(const std::string& field, const std::string& title);

// The hover selection over the "run" field and the opacity that follows it.
nlohmann::json hover_param();
nlohmann::json hover_opacity();

// A complete top-level spec: schema, width/height, data values, and which axes may be toggled
// between linear and log scales by the page (usermeta.logToggles).
nlohmann::json chart(nlohmann::json spec, const std::vector<std::string>& log_toggles = {});

// A chart as the page expects it: {"id", "title", "spec", "note"}.
nlohmann::json chart_entry(const std::string& id, const std::string& title, nlohmann::json spec,
                           const std::string& note = "");

}  // namespace emlab::report
