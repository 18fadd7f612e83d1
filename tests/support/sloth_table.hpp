#pragma once
// The Sloth leaderboard table (tests/data/import/sloth/df_full.csv: 98 public models of 50
// families with size, tokens, FLOPs and 12 Open LLM Leaderboard scores; Maia Polo et al. 2024,
// MIT) copied with holes: the named cells blanked, as real tables have them (this one has none),
// and columns renamed where a test needs another header.
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/capability_table.hpp"

namespace emlab::testing {

inline std::string sloth_table_path() {
  return std::string(EMLAB_TEST_DATA) + "/import/sloth/df_full.csv";
}

// The import of the copy: sizes in billions, tokens in trillions, FLOPs in units of 1e21.
inline std::string sloth_wide_flags() {
  return "--params-column size --params-unit B --tokens-column tokens --tokens-unit T "
         "--flops-column flops --flops-unit 1e21";
}

// Writes the copy to `out`. blanks: model → the columns whose cells become blank.
inline std::filesystem::path sloth_table_with_holes(
    const std::filesystem::path& out, const std::map<std::string, std::set<std::string>>& blanks,
    const std::map<std::string, std::string>& renamed = {}) {
  std::ifstream in(sloth_table_path());
  std::ofstream copy(out);
  std::vector<std::string> header;
  std::string line;
  const auto split = [](const std::string& text) {
    std::vector<std::string> cells;
    std::stringstream s(text);
    std::string cell;
    while (std::getline(s, cell, ',')) cells.push_back(cell);
    if (!text.empty() && text.back() == ',') cells.emplace_back();
    return cells;
  };
  while (std::getline(in, line)) {
    std::vector<std::string> cells = split(line);  // the file has no quoted cells
    if (header.empty()) {
      header = cells;
      for (std::string& h : cells)
        if (renamed.count(h)) h = renamed.at(h);
    } else if (const auto it = blanks.find(cells.at(1)); it != blanks.end()) {
      for (size_t c = 0; c < cells.size(); ++c)
        if (it->second.count(header[c])) cells[c].clear();
    }
    for (size_t c = 0; c < cells.size(); ++c) copy << (c ? "," : "") << cells[c];
    copy << '\n';
  }
  return out;
}

// The holes the tests use: Qwen2's tokens and FLOPs unknown (as in the issue that asked for
// this), gemma-7b's tokens unknown but its FLOPs given, and dolly-v2-7b without a size.
inline std::map<std::string, std::set<std::string>> sloth_holes() {
  return {{"qwen2-0.5b", {"tokens", "flops"}},
          {"qwen2-1.5b", {"tokens", "flops"}},
          {"qwen2-7b", {"tokens", "flops"}},
          {"qwen2-72b", {"tokens", "flops"}},
          {"gemma-7b", {"tokens"}},
          {"dolly-v2-7b", {"size"}}};
}

// The table read directly (no import), as observational scaling reads it: every model with its
// family, FLOPs (the file's units of 1e21) and the named columns' scores.
inline analysis::CapabilityTable sloth_capability_table(const std::vector<std::string>& capability,
                                                        const std::vector<std::string>& targets) {
  std::ifstream in(sloth_table_path());
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header;
  std::stringstream heading(line);
  for (std::string cell; std::getline(heading, cell, ',');) header.push_back(cell);
  const auto column = [&](const std::string& name) {
    for (size_t c = 0; c < header.size(); ++c)
      if (header[c] == name) return c;
    throw std::runtime_error("no column " + name);
  };
  analysis::CapabilityTable table;
  table.capability_tasks = capability;
  table.target_tasks = targets;
  table.target_chance.assign(targets.size(), std::numeric_limits<double>::quiet_NaN());
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream row(line);
    for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
    analysis::CapabilityModel m;
    m.name = cells.at(column("model"));
    m.family = cells.at(column("family"));
    m.flops = std::stod(cells.at(column("flops"))) * 1e21;
    for (const std::string& c : capability) m.capability.push_back(std::stod(cells.at(column(c))));
    for (const std::string& t : targets) m.targets.push_back(std::stod(cells.at(column(t))));
    table.models.push_back(m);
  }
  return table;
}

}  // namespace emlab::testing
