#pragma once
// The whole report of a study as the JSON the page renders: {"title", "generated", "sections"}.
#include <nlohmann/json.hpp>

#include "report/study.hpp"

namespace emlab::report {

nlohmann::json build_report(const Study& study);

}  // namespace emlab::report
