#include "study/study_kind.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <functional>
#include <map>

namespace emlab::study {

namespace {
using Factory = std::function<std::unique_ptr<StudyKind>(io::TomlSection&)>;
const std::map<std::string, Factory>& factories() {
  static const std::map<std::string, Factory> all = {
      {"mirage", make_mirage_kind},
      {"length", make_length_kind},
      {"loss_threshold", make_loss_threshold_kind},
      {"scaling", make_scaling_kind},
      {"forecast", make_forecast_kind},
      {"composition", make_composition_kind},
      {"repetition", make_repetition_kind},
      {"scratchpad", make_scratchpad_kind},
      {"depth", make_depth_kind},
      {"induction", make_induction_kind},
  };
  return all;
}
}  // namespace

std::vector<std::string> study_kind_names() {
  std::vector<std::string> names;
  for (const auto& [name, factory] : factories()) names.push_back(name);
  return names;
}

std::unique_ptr<StudyKind> make_study_kind(const std::string& kind, io::TomlSection& analysis,
                                           io::TomlSection& study_section) {
  const auto it = factories().find(kind);
  if (it == factories().end())
    study_section.invalid("kind", fmt::format("unknown study kind \"{}\" (known: {})", kind,
                                              fmt::join(study_kind_names(), ", ")));
  auto made = it->second(analysis);
  analysis.reject_unknown_keys();
  return made;
}

}  // namespace emlab::study
