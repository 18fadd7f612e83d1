#include "report/vega.hpp"

#include <cmath>

namespace emlab::report {

nlohmann::json number(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

nlohmann::json axis_field(const std::string& field, const std::string& type,
                          const std::string& title, bool log) {
  nlohmann::json f = {{"field", field}, {"type", type}, {"title", title}};
  // A log scale spans the data, not whole decades: "nice" would stretch a loss of 4-8 over 1-100.
  if (log) f["scale"] = {{"type", "log"}, {"nice", false}, {"padding", 12}};
  return f;
}

nlohmann::json count_axis(const std::string& field, const std::string& title) {
  nlohmann::json f = axis_field(field, "quantitative", title, true);
  f["axis"] = {{"format", "~s"}};
  return f;
}

nlohmann::json hover_param() {
  return {{"name", "hover"},
          {"select",
           {{"type", "point"}, {"fields", {"run"}}, {"on", "mouseover"}, {"clear", "mouseout"}}}};
}

nlohmann::json hover_opacity() {
  return {{"condition", {{"param", "hover"}, {"empty", true}, {"value", 1.0}}}, {"value", 0.2}};
}

nlohmann::json score_axis(const std::string& field, const std::string& title) {
  return {{"field", field},
          {"type", "quantitative"},
          {"title", title},
          {"scale", {{"domain", {0, 1}}}}};
}

nlohmann::json chart(nlohmann::json spec, const std::vector<std::string>& log_toggles) {
  spec["$schema"] = "https://vega.github.io/schema/vega-lite/v6.json";
  if (!spec.contains("width") && !spec.contains("facet") && !spec.contains("hconcat") &&
      !spec.contains("concat"))
    spec["width"] = 520;
  if (!spec.contains("height") && !spec.contains("facet") && !spec.contains("hconcat") &&
      !spec.contains("concat"))
    spec["height"] = 300;
  if (!log_toggles.empty()) spec["usermeta"] = {{"logToggles", log_toggles}};
  return spec;
}

nlohmann::json chart_entry(const std::string& id, const std::string& title, nlohmann::json spec,
                           const std::string& note) {
  return {{"id", id}, {"title", title}, {"spec", std::move(spec)}, {"note", note}};
}

}  // namespace emlab::report
