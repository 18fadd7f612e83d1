#include "study/measurement.hpp"

namespace emlab::study {

namespace {
nlohmann::json number(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}
}  // namespace

void Measurements::add(std::string name, double value, std::string about, double lower,
                       double upper) {
  items_.push_back({std::move(name), value, lower, upper, std::move(about)});
}

const Measurement* Measurements::find(const std::string& name) const {
  for (const Measurement& m : items_)
    if (m.name == name) return &m;
  return nullptr;
}

nlohmann::json Measurements::to_json() const {
  nlohmann::json out = nlohmann::json::array();
  for (const Measurement& m : items_) {
    // +inf is meaningful (a step has infinite breakthroughness): kept as a string.
    nlohmann::json value =
        std::isinf(m.value) ? nlohmann::json(m.value > 0 ? "inf" : "-inf") : number(m.value);
    out.push_back({{"name", m.name},
                   {"value", value},
                   {"lower", number(m.lower)},
                   {"upper", number(m.upper)},
                   {"about", m.about}});
  }
  return out;
}

}  // namespace emlab::study
