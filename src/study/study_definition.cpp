#include "study/study_definition.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "core/error.hpp"
#include "io/toml_reader.hpp"
#include "sweep/sweep_config_toml.hpp"

namespace emlab::study {

namespace fs = std::filesystem;

namespace {

std::vector<Condition> read_conditions(io::TomlSection& verdict, const char* key,
                                       const std::vector<std::string>& known,
                                       const std::string& source) {
  std::vector<std::string> texts;
  verdict.read(key, texts);
  std::vector<Condition> out;
  for (size_t i = 0; i < texts.size(); ++i) {
    const std::string where = fmt::format("{}: verdict.{}[{}]", source, key, i);
    Condition c = parse_condition(texts[i], where);
    for (const std::string& name : names_in(c))
      if (std::find(known.begin(), known.end(), name) == known.end())
        fail("{}: \"{}\": unknown measurement '{}' (this kind measures: {})", where, texts[i], name,
             fmt::join(known, ", "));
    out.push_back(std::move(c));
  }
  return out;
}

// The tasks a sweep evaluates: [eval] tasks, else its training mixture.
std::vector<std::string> evaluated_tasks(const sweep::SweepConfig& c) {
  return c.eval.tasks.empty() ? c.base.data.tasks : c.eval.tasks;
}

}  // namespace

StudyDefinition load_study_definition(const std::string& path, const std::string& scale,
                                      const std::string& database) {
  require(scale == "smoke" || scale == "small" || scale == "full",
          "unknown scale '{}' (expected smoke, small or full)", scale);
  toml::table root = io::parse_toml_file(path);
  toml::table tables = root;  // [[sweep]] is an array of tables, checked below
  tables.erase("sweep");
  io::reject_unknown_sections(tables, {"study", "analysis", "verdict"}, path);
  StudyDefinition d;
  d.source = path;
  d.scale = scale;

  io::TomlSection study(root["study"].as_table(), "study", path);
  study.read("name", d.name);
  study.read("claim", d.claim);
  study.read("predicts", d.predicts);
  study.read("kind", d.kind);
  study.read("figures", d.figures);
  study.read("time", d.time);
  study.read("control", d.control);
  study.read("control_for", d.control_for);
  study.reject_unknown_keys();
  for (const auto& [key, value] : std::initializer_list<std::pair<const char*, std::string*>>{
           {"name", &d.name}, {"claim", &d.claim}, {"predicts", &d.predicts}, {"kind", &d.kind}})
    if (value->empty()) study.invalid(key, "is required");
  if (!d.control.empty() && d.control != "positive" && d.control != "negative")
    study.invalid("control",
                  "expected \"positive\" (must say held) or \"negative\" (must say "
                  "did not hold)");
  if (d.control.empty() != d.control_for.empty())
    study.invalid(d.control.empty() ? "control" : "control_for",
                  "a control study gives both control and control_for (the study it controls)");

  io::TomlSection analysis(root["analysis"].as_table(), "analysis", path);
  d.analysis = make_study_kind(d.kind, analysis, study);
  if (const std::vector<std::string>& figures = find_study_kind(d.kind, study).figures;
      !d.figures.empty() && std::find(figures.begin(), figures.end(), d.figures) == figures.end())
    study.invalid("figures", fmt::format("a {} study's evidence is in the report section {}",
                                         d.kind, fmt::join(figures, " or ")));

  // [[sweep]]: the sweeps whose runs the analysis reads.
  const toml::array* sweeps = root["sweep"].as_array();
  if (sweeps == nullptr || sweeps->empty())
    fail("{}: needs at least one [[sweep]] with config = \"sweeps/NAME.toml\"", path);
  const fs::path folder = fs::path(path).parent_path();
  for (size_t i = 0; i < sweeps->size(); ++i) {
    io::TomlSection s(sweeps->get(i)->as_table(), fmt::format("sweep[{}]", i), path);
    StudySweep sw;
    std::string config, prefix;
    s.read("config", config);
    s.read("set", sw.overrides);
    std::vector<std::string> at_scale;  // this sweep's overrides at the chosen scale only
    s.read(scale.c_str(), at_scale);
    for (const char* other : {"smoke", "small", "full"})
      if (other != scale) {
        std::vector<std::string> unused;
        s.read(other, unused);  // checked for type, not applied
      }
    sw.overrides.insert(sw.overrides.end(), at_scale.begin(), at_scale.end());
    s.read("prefix", prefix);
    s.reject_unknown_keys();
    if (config.empty())
      s.invalid("config", "name the sweep config, e.g. \"sweeps/arithmetic-seeds.toml\"");
    sw.config_path = (folder / config).string();
    if (!fs::exists(sw.config_path)) s.invalid("config", "no such file: " + sw.config_path);
    std::vector<std::string> overrides = sw.overrides;
    if (!prefix.empty()) overrides.push_back("sweep.run_prefix=" + prefix);
    if (!database.empty()) overrides.push_back("sweep.database=" + database);
    sw.config = sweep::load_sweep_config(sw.config_path, overrides, scale);
    sweep::plan_sweep(sw.config);  // an impossible shape or budget fails here, naming the run
    if (!d.sweeps.empty() && sw.config.database != d.sweeps.front().config.database)
      s.invalid("config", fmt::format("writes to {} but the study's first sweep writes to {}; a "
                                      "study's sweeps share one database",
                                      sw.config.database, d.sweeps.front().config.database));
    d.sweeps.push_back(std::move(sw));
  }
  std::set<std::string> evaluated;
  for (const StudySweep& sw : d.sweeps)
    for (const std::string& t : evaluated_tasks(sw.config)) evaluated.insert(t);
  for (const std::string& task : d.analysis->tasks())
    if (evaluated.count(task) == 0)
      analysis.invalid(
          "task", fmt::format("task \"{}\" is not evaluated by the study's sweeps (they evaluate: "
                              "{})",
                              task, fmt::join(evaluated, ", ")));

  io::TomlSection verdict(root["verdict"].as_table(), "verdict", path);
  verdict.read("rule", d.rule.words);
  const auto known = d.analysis->measurement_names();
  d.rule.held_if = read_conditions(verdict, "held_if", known, path);
  d.rule.inconclusive_if = read_conditions(verdict, "inconclusive_if", known, path);
  verdict.reject_unknown_keys();
  if (d.rule.words.empty()) verdict.invalid("rule", "state the rule in words");
  if (d.rule.held_if.empty()) verdict.invalid("held_if", "give at least one condition");
  return d;
}

std::string studies_dir() {
  if (const char* env = std::getenv("EMLAB_STUDIES"); env != nullptr && *env != 0) return env;
  if (fs::is_directory("studies")) return "studies";
#ifdef EMLAB_SOURCE_STUDIES
  return EMLAB_SOURCE_STUDIES;
#else
  return "studies";
#endif
}

std::vector<std::string> study_names(const std::string& dir) {
  std::vector<std::string> names;
  if (!fs::is_directory(dir)) return names;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().extension() == ".toml")
      names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace emlab::study
