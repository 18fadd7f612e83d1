#pragma once
// Names tests instantiated once per study: a test name may not hold '-', so mirage-lengths runs as
// mirage_lengths.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace emlab::testing {

inline std::string study_test_name(const ::testing::TestParamInfo<std::string>& param) {
  std::string name = param.param;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

}  // namespace emlab::testing
