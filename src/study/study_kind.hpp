#pragma once
// A kind of study: the shared analysis behind every study file that names it. It reads its
// parameters from the study file's [analysis] table (checked when the file loads, before anything
// trains), names the measurements it produces (so a verdict rule that names another is refused
// up front), and computes them from the study database.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "io/toml_reader.hpp"
#include "results/result_set.hpp"
#include "study/measurement.hpp"

namespace emlab::study {

// A simulation of the study's measurements: with the effect its claim names, or without it.
enum class Effect { kPresent, kAbsent };

// What the two simulated worlds are, in words (printed beside the rule's power).
struct SimulatedEffects {
  std::string present, absent;
};

// The seed-to-seed noise a kind's simulator assumes, and the measurement of a trained study that
// estimates the same quantity: a rule's power is only as good as that assumption, so a run
// recomputes it at the noise it measured (study_runner).
struct SeedNoise {
  double assumed = 0;       // the simulator's standard deviation, in the measurement's unit
  std::string measurement;  // the measurement that estimates it on trained runs (NaN: unknown)
};

class StudyKind {
 public:
  virtual ~StudyKind() = default;
  virtual std::vector<std::string> measurement_names() const = 0;
  virtual Measurements measure(const results::ResultSet& results) const = 0;
  // The tasks the analysis reads, checked against what the study's sweeps evaluate.
  virtual std::vector<std::string> tasks() const = 0;

  // The kind's simulator, which makes its rule's power and false-positive rate measurable before
  // anything trains (study/rule_power). nullopt: the kind has none yet, and its rule's power is
  // unknown.
  virtual std::optional<SimulatedEffects> simulated_effects() const { return std::nullopt; }
  // Fills `planned` (the study's design, study/simulated_design) with the numbers one world
  // would give, drawing the sampling noise of the design's example counts from `rng`.
  virtual void simulate(results::ResultSet& planned, Effect effect, Rng& rng) const {
    (void)planned, (void)effect, (void)rng;
  }
  // The kind as the simulations run it, when that must be cheaper than the trained study's
  // analysis (null: the kind itself). It must give the measurements the rule reads the same way;
  // only what costs time and the rule does not read (bootstrap intervals, fit restarts) may differ,
  // and simulated_effects() says what differs.
  virtual std::shared_ptr<const StudyKind> for_simulation() const { return nullptr; }
  // nullopt: the simulator has no seed-noise parameter that a run can measure.
  virtual std::optional<SeedNoise> seed_noise() const { return std::nullopt; }
  // The kind with its simulator drawing seed noise of standard deviation `sd` instead.
  virtual std::shared_ptr<const StudyKind> with_seed_noise(double sd) const {
    (void)sd;
    return nullptr;
  }
};

// One registered kind: its name in study files, the factory that reads its [analysis] table,
// and the report sections (their ids) that show its evidence, which `figures =` may name.
struct StudyKindEntry {
  std::string name;
  std::function<std::unique_ptr<StudyKind>(io::TomlSection& analysis)> make;
  std::vector<std::string> figures;
};

const std::vector<StudyKindEntry>& study_kinds();

// The entry of `kind`; an unknown kind is an error naming the file and key.
const StudyKindEntry& find_study_kind(const std::string& kind, io::TomlSection& study_section);

// Reads the kind's parameters from `analysis` (unknown keys are errors naming file and key).
// Throws emlab::Error naming the file and key for an unknown kind.
std::unique_ptr<StudyKind> make_study_kind(const std::string& kind, io::TomlSection& analysis,
                                           io::TomlSection& study_section);

std::vector<std::string> study_kind_names();

// One factory per kind, defined in study/kinds/.
std::unique_ptr<StudyKind> make_mirage_kind(io::TomlSection& analysis);
std::unique_ptr<StudyKind> make_length_kind(io::TomlSection& analysis);
std::unique_ptr<StudyKind> make_loss_threshold_kind(io::TomlSection& analysis);
std::unique_ptr<StudyKind> make_scaling_kind(io::TomlSection& analysis);
std::unique_ptr<StudyKind> make_forecast_kind(io::TomlSection& analysis);
std::unique_ptr<StudyKind> make_composition_kind(io::TomlSection& analysis);
std::unique_ptr<StudyKind> make_repetition_kind(io::TomlSection& analysis);
std::unique_ptr<StudyKind> make_scratchpad_kind(io::TomlSection& analysis);
std::unique_ptr<StudyKind> make_depth_kind(io::TomlSection& analysis);
std::unique_ptr<StudyKind> make_induction_kind(io::TomlSection& analysis);

}  // namespace emlab::study
