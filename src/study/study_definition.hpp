#pragma once
// A study file (studies/NAME.toml): the claim in words, the sweeps it needs, the analysis kind
// with its parameters, and the verdict rule, all fixed before anything runs. Loading checks
// everything that can be checked without training: the sweeps plan at the chosen scale, the
// analysis reads tasks the sweeps evaluate, and the rule names measurements the kind produces.
// Every error names the file and key. See docs/studies.md.
#include <memory>
#include <string>
#include <vector>

#include "study/study_kind.hpp"
#include "study/verdict_rule.hpp"
#include "sweep/sweep_config.hpp"

namespace emlab::study {

struct StudySweep {
  std::string config_path;             // resolved against the study file's folder
  std::vector<std::string> overrides;  // the study's own `set` for this sweep
  sweep::SweepConfig config;           // loaded at the study's scale
};

struct StudyDefinition {
  std::string source;  // the study file
  std::string name, claim, predicts, kind;
  std::string figures;  // the report section that shows the evidence (its id)
  std::string time;     // the measured time at each scale, in words
  std::string scale;
  // A control: "positive" (a setting known to show the effect: must say held) or "negative"
  // (known not to: must say did not hold), of the study named by control_for.
  std::string control, control_for;
  std::vector<StudySweep> sweeps;
  std::shared_ptr<const StudyKind> analysis;
  VerdictRule rule;
  std::string database() const { return sweeps.front().config.database; }
};

// `database` (when not empty) replaces every sweep's database.
StudyDefinition load_study_definition(const std::string& path, const std::string& scale,
                                      const std::string& database = "");

// The folder of study files: $EMLAB_STUDIES, else ./studies, else the source tree's studies/.
std::string studies_dir();
// Every studies/*.toml, by name.
std::vector<std::string> study_names(const std::string& dir);

}  // namespace emlab::study
