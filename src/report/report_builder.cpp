#include "report/report_builder.hpp"

#include <chrono>
#include <ctime>

#include "core/provenance.hpp"
#include "report/sections.hpp"

namespace emlab::report {

namespace {
std::string utc_now() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%d %H:%M UTC", std::gmtime(&t));
  return text;
}
}  // namespace

nlohmann::json build_report(const Study& study) {
  nlohmann::json sections = nlohmann::json::array();
  if (nlohmann::json h = hypotheses_section(study); !h.is_null()) sections.push_back(std::move(h));
  sections.push_back(overview_section(study));
  sections.push_back(scaling_section(study));
  sections.push_back(size_section(study));
  for (nlohmann::json& s : task_sections(study)) sections.push_back(std::move(s));
  sections.push_back(emergence_section(study));
  sections.push_back(dynamics_section(study));
  if (nlohmann::json c = circuits_section(study); !c.is_null()) sections.push_back(std::move(c));
  if (nlohmann::json d = depth_section(study); !d.is_null()) sections.push_back(std::move(d));
  sections.push_back(forecast_section(study));
  return {{"title", "Emergence Lab: " + study.name},
          {"generated", utc_now() + " by emlab " + code_version()},
          {"database", study.database},
          {"sections", sections}};
}

}  // namespace emlab::report
