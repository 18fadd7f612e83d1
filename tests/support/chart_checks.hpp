#pragma once
// What every report page opened in the headless browser must show: each chart figure finished
// drawing ("ok") with at least one mark. Shared by the report, import and probe tests.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "support/dom_query.hpp"

namespace emlab::testing {

// Checks every <figure class="chart"> of the DOM; returns how many there are.
inline size_t expect_every_chart_drawn(const std::string& dom) {
  static const std::regex figure(R"(<figure class="chart"[^>]*>)");
  size_t drawn = 0;
  for (auto it = std::sregex_iterator(dom.begin(), dom.end(), figure); it != std::sregex_iterator();
       ++it, ++drawn) {
    const std::string tag = it->str();
    EXPECT_EQ(attribute(tag, "data-status"), "ok") << tag;
    EXPECT_GT(std::stoi(attribute(tag, "data-marks").value_or("0")), 0) << tag;
  }
  return drawn;
}

}  // namespace emlab::testing
