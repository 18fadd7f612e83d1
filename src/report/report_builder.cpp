#include "report/report_builder.hpp"

#include <chrono>
#include <ctime>

#include "core/provenance.hpp"
#include "report/sections.hpp"

namespace emlab::report {

const std::vector<std::string>& section_ids() {
  static const std::vector<std::string> ids = {
      "hypotheses", "overview", "families", "scaling",  "size",         "emergence",
      "dynamics",   "circuits", "depth",    "forecast", "observational"};
  return ids;
}

namespace {
std::string utc_now() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%d %H:%M UTC", std::gmtime(&t));
  return text;
}
}  // namespace

nlohmann::json build_report(const results::ResultSet& results) {
  nlohmann::json sections = nlohmann::json::array();
  if (nlohmann::json h = hypotheses_section(results); !h.is_null())
    sections.push_back(std::move(h));
  sections.push_back(overview_section(results));
  if (nlohmann::json f = families_section(results); !f.is_null()) sections.push_back(std::move(f));
  sections.push_back(scaling_section(results));
  sections.push_back(size_section(results));
  for (nlohmann::json& s : task_sections(results)) sections.push_back(std::move(s));
  sections.push_back(emergence_section(results));
  sections.push_back(dynamics_section(results));
  if (nlohmann::json c = circuits_section(results); !c.is_null()) sections.push_back(std::move(c));
  if (nlohmann::json d = depth_section(results); !d.is_null()) sections.push_back(std::move(d));
  sections.push_back(forecast_section(results));
  if (nlohmann::json o = observational_section(results); !o.is_null())
    sections.push_back(std::move(o));
  // What the sections left out for want of a fact (imported tables with holes), for the CLI.
  nlohmann::json left_out = nlohmann::json::array();
  for (const nlohmann::json& s : sections)
    for (const nlohmann::json& note : s.value("left_out", nlohmann::json::array()))
      left_out.push_back(s["title"].get<std::string>() + ": " + note.get<std::string>());
  return {{"title", "Emergence Lab: " + results.name},
          {"generated", utc_now() + " by emlab " + code_version()},
          {"database", results.database},
          {"sections", sections},
          {"left_out", left_out}};
}

}  // namespace emlab::report
