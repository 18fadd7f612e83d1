#include "study/study_kind.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace emlab::study {

const std::vector<StudyKindEntry>& study_kinds() {
  // Alphabetical, as `emlab study list` and the error for an unknown kind show them.
  static const std::vector<StudyKindEntry> all = {
      {"composition", make_composition_kind, {"dynamics", "emergence"}},
      {"depth", make_depth_kind, {"depth", "emergence"}},
      {"forecast", make_forecast_kind, {"forecast"}},
      {"induction", make_induction_kind, {"circuits"}},
      {"length", make_length_kind, {"emergence"}},
      {"loss_threshold", make_loss_threshold_kind, {"emergence"}},
      {"mirage", make_mirage_kind, {"emergence"}},
      {"repetition", make_repetition_kind, {"dynamics"}},
      {"scaling", make_scaling_kind, {"size", "scaling"}},
      {"scratchpad", make_scratchpad_kind, {"emergence"}},
  };
  return all;
}

std::vector<std::string> study_kind_names() {
  std::vector<std::string> names;
  for (const StudyKindEntry& entry : study_kinds()) names.push_back(entry.name);
  return names;
}

const StudyKindEntry& find_study_kind(const std::string& kind, io::TomlSection& study_section) {
  for (const StudyKindEntry& entry : study_kinds())
    if (entry.name == kind) return entry;
  study_section.invalid("kind", fmt::format("unknown study kind \"{}\" (known: {})", kind,
                                            fmt::join(study_kind_names(), ", ")));
}

std::unique_ptr<StudyKind> make_study_kind(const std::string& kind, io::TomlSection& analysis,
                                           io::TomlSection& study_section) {
  auto made = find_study_kind(kind, study_section).make(analysis);
  analysis.reject_unknown_keys();
  return made;
}

}  // namespace emlab::study
