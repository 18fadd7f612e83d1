#pragma once
// JSON forms of the analysis results, for the report and `emlab fit --json`. Bootstrap samples are
// summarised (estimate and interval), not listed. NaN and infinities become null.
#include <nlohmann/json.hpp>

#include "analysis/allocation.hpp"
#include "analysis/chinchilla_fit.hpp"
#include "analysis/compute_optimal.hpp"
#include "analysis/forecast.hpp"
#include "analysis/kaplan_fit.hpp"
#include "analysis/model_comparison.hpp"
#include "analysis/power_law_fit.hpp"

namespace emlab::analysis {

nlohmann::json json_number(double v);             // null when not finite
nlohmann::json json_interval(const Interval& i);  // [lower, upper], each null when not finite
nlohmann::json to_json(const Estimate& e);
nlohmann::json to_json(const ChinchillaFit& fit);
nlohmann::json to_json(const ComputeOptimalEstimate& e);
nlohmann::json to_json(const PowerLawFit& fit);
nlohmann::json to_json(const KaplanFit& fit);
nlohmann::json to_json(const HeldOutScore& s);
nlohmann::json to_json(const AllocationEstimate& a);
nlohmann::json to_json(const LossForecast& f);
nlohmann::json to_json(const AbilityForecast& f);

}  // namespace emlab::analysis
