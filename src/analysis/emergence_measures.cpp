#include "analysis/emergence_measures.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.hpp"

namespace emlab::analysis {
namespace {

std::vector<double> squared_increments(const std::vector<double>& y) {
  require(y.size() >= 2, "breakthroughness/linearity: need at least 2 points, got {}", y.size());
  std::vector<double> sq;
  for (size_t i = 0; i + 1 < y.size(); ++i) sq.push_back((y[i + 1] - y[i]) * (y[i + 1] - y[i]));
  return sq;
}

double ratio(double span, double denominator) {
  if (denominator > 0) return span / denominator;
  if (span == 0) return 0;  // a flat curve: no change at all
  return span > 0 ? std::numeric_limits<double>::infinity()
                  : -std::numeric_limits<double>::infinity();
}

}  // namespace

double improvement_span(const std::vector<double>& y) {
  require(!y.empty(), "improvement span of an empty curve");
  const auto [lowest, highest] = std::minmax_element(y.begin(), y.end());
  const double sign = (highest - lowest) > 0 ? 1.0 : -1.0;
  return sign * (*highest - *lowest);
}

double breakthroughness(const std::vector<double>& y) {
  auto sq = squared_increments(y);
  std::sort(sq.begin(), sq.end());
  const size_t m = sq.size();
  const double median = m % 2 ? sq[m / 2] : 0.5 * (sq[m / 2 - 1] + sq[m / 2]);
  return ratio(improvement_span(y), std::sqrt(median));
}

double linearity(const std::vector<double>& y) {
  const auto sq = squared_increments(y);
  double mean = 0;
  for (double v : sq) mean += v / static_cast<double>(sq.size());
  return ratio(improvement_span(y), std::sqrt(mean));
}

double jump_share(const std::vector<double>& y) {
  require(y.size() >= 2, "jump_share: need at least 2 points, got {}", y.size());
  const auto [lowest, highest] = std::minmax_element(y.begin(), y.end());
  const double rise = *highest - *lowest;
  if (!(rise > 0)) return std::numeric_limits<double>::quiet_NaN();
  double largest = 0;
  for (size_t i = 0; i + 1 < y.size(); ++i) largest = std::max(largest, y[i + 1] - y[i]);
  return largest / rise;
}

double chance_normalised(double value, double chance) {
  require(chance < 1, "chance level {} must be below 1", chance);
  return (value - chance) / (1 - chance);
}

bool worse_than_chance(double value, double chance, bool higher_is_better) {
  return higher_is_better ? value < chance : value > chance;
}

double uniform_brier(int choices) {
  require(choices >= 2, "Brier score of uniform guessing needs >= 2 choices, got {}", choices);
  return 1.0 - 1.0 / choices;
}

}  // namespace emlab::analysis
