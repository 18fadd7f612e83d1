#include "report/family_colours.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <tuple>

namespace emlab::report {

namespace {
// Tableau 10 without its grey, and a cyan in its place: no named family looks like the grey ones.
constexpr std::array<const char*, kNamedFamilies> kPalette = {
    "#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b",
    "#eeca3b", "#b279a2", "#ff9da6", "#9d755d", "#17becf"};
constexpr const char* kGrey = "#bbbbbb";
}  // namespace

std::string family_name(const std::string& family) {
  return family.empty() ? "(no family)" : family;
}

std::string FamilyColours::shown(const std::string& family) const {
  const std::string name = family_name(family);
  return std::find(named.begin(), named.end(), name) != named.end() ? name : other_label();
}

std::string FamilyColours::other_label() const {
  return fmt::format("{} other {}", others, others == 1 ? "family" : "families");
}

nlohmann::json FamilyColours::encoding() const {
  nlohmann::json domain = named, range = nlohmann::json::array();
  for (size_t i = 0; i < named.size(); ++i) range.push_back(kPalette[i]);
  if (others > 0) {
    domain.push_back(other_label());
    range.push_back(kGrey);
  }
  return {{"field", "shown"},
          {"type", "nominal"},
          {"title", "family"},
          {"scale", {{"domain", domain}, {"range", range}}}};
}

FamilyColours family_colours(const results::ResultSet& results) {
  std::map<std::string, std::pair<size_t, int64_t>> families;  // models, largest model
  for (const results::RunResults& run : results.runs) {
    if (!run.completed() || run.last() == nullptr) continue;
    auto& [models, largest] = families[family_name(run.row.family)];
    ++models;
    largest = std::max(largest, run.row.plan.parameters);
  }
  std::vector<std::tuple<size_t, int64_t, std::string>> ranked;
  for (const auto& [name, facts] : families) ranked.emplace_back(facts.first, facts.second, name);
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    if (std::get<0>(a) != std::get<0>(b)) return std::get<0>(a) > std::get<0>(b);
    if (std::get<1>(a) != std::get<1>(b)) return std::get<1>(a) > std::get<1>(b);
    return std::get<2>(a) < std::get<2>(b);
  });
  FamilyColours colours;
  for (const auto& [models, largest, name] : ranked) {
    if (colours.named.size() < kNamedFamilies)
      colours.named.push_back(name);
    else
      ++colours.others;
  }
  return colours;
}

}  // namespace emlab::report
