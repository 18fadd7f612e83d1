#pragma once
// The whole report of a study as the JSON the page renders: {"title", "generated", "sections"},
// and "left_out": what each section left out for want of a fact ("Section title: note").
#include <nlohmann/json.hpp>

#include "results/result_set.hpp"

namespace emlab::report {

nlohmann::json build_report(const results::ResultSet& results);

}  // namespace emlab::report
