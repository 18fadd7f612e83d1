#pragma once
// The colours of model families in the charts of imported databases (leaderboards of many
// families): the families with the most models are named, each in its own colour, and every other
// family is grey, so that a chart of 50 families stays readable. The charts draw lines per family
// (the family is their detail), so a grey line still joins only the models of one family.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "results/result_set.hpp"

namespace emlab::report {

inline constexpr size_t kNamedFamilies = 10;

struct FamilyColours {
  std::vector<std::string> named;  // in legend order
  size_t others = 0;               // families drawn grey
  // What the legend calls a family: its name, or the grey group ("40 other families").
  std::string shown(const std::string& family) const;
  std::string other_label() const;
  // Vega-Lite's colour over the field "shown" (each row carries shown(family)).
  nlohmann::json encoding() const;
};

// A family's name as charts and tables show it ("(no family)" for '').
std::string family_name(const std::string& family);

// Families ranked by their number of completed models, then by their largest model, then by name;
// the first kNamedFamilies are named (all of them when there are no more).
FamilyColours family_colours(const results::ResultSet& results);

}  // namespace emlab::report
