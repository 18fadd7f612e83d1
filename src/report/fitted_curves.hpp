#pragma once
// The report's fitted laws as chart data and table rows: curves sampled on a log grid with their
// bootstrap percentile bands, and one row per estimate with its interval.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analysis/bootstrap.hpp"
#include "analysis/chinchilla_fit.hpp"
#include "analysis/power_law_fit.hpp"

namespace emlab::report {

// `points` values from lo to hi, evenly spaced in log scale.
std::vector<double> log_grid(double lo, double hi, int points = 41);

// {x_field: x, "fit", "lower", "upper"} over x from lo to hi: the fitted power law and the 95%
// percentile band of its bootstrap refits.
nlohmann::json power_law_curve(const analysis::PowerLawFit& fit, const std::string& x_field,
                               double lo, double hi);

// ["name", estimate, "[lower, upper]"]: one row of a fit table.
nlohmann::json estimate_row(const std::string& name, const analysis::Estimate& e);

// The table of a power law L(X) = E + A·X^(−α) fitted over `scale`.
nlohmann::json power_law_table(const analysis::PowerLawFit& fit, const std::string& title);

// A Chinchilla fit whose terms the points could not separate: a parameter that is not finite, or
// an exponent above 3. Published exponents are below 1 (Chinchilla: α 0.34, β 0.28); one above 3
// fits a step between two groups of points, not a power law.
bool chinchilla_degenerate(const analysis::ChinchillaParams& p);
constexpr double kMaxExponent = 3.0;

}  // namespace emlab::report
