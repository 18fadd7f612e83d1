#pragma once
// A number a study measured, with its interval where it has one, and what it is in words.
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace emlab::study {

struct Measurement {
  std::string name;
  double value = NAN;               // NaN: could not be measured (the verdict is then inconclusive)
  double lower = NAN, upper = NAN;  // 95% interval, NaN when none
  std::string about;                // one line: what it is and how it was computed
};

class Measurements {
 public:
  void add(std::string name, double value, std::string about, double lower = NAN,
           double upper = NAN);
  // Null when not measured.
  const Measurement* find(const std::string& name) const;
  const std::vector<Measurement>& all() const { return items_; }
  nlohmann::json to_json() const;

 private:
  std::vector<Measurement> items_;
};

}  // namespace emlab::study
